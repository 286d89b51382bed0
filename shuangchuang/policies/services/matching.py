"""Matching and push: tell every matching enterprise about a benefit once (inbox and e-mail, in the background,
with progress), saved searches with daily or weekly digests, deadline reminders."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.models import Membership, OrganisationKind, Role
from shuangchuang.core.services import notification_send
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.policies.models import (
    Audience,
    Benefit,
    BenefitNotice,
    BenefitPush,
    BenefitStatus,
    DigestFrequency,
    PolicyDocument,
    PushStatus,
    SavedSearch,
)
from shuangchuang.policies.permissions import can_edit_benefit, can_manage_saved_search, can_save_search
from shuangchuang.policies.rules import context_for, rule_q
from shuangchuang.registry.models import Enterprise

PUSH_CHUNK = 5000
ENTERPRISE_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.STAFF, Role.ADMIN)


def benefit_push_start(*, actor: Actor, benefit: Benefit, reason: str = "published",
                       on: datetime.date | None = None) -> BenefitPush:
    """Queue a push of a published benefit to its matching enterprises; the officer sees its progress."""
    require(can_edit_benefit(actor, benefit))
    if benefit.status != BenefitStatus.PUBLISHED or benefit.document.status != "published":
        raise Conflict("not_published", _("Only a published benefit of a published document is pushed."))
    if benefit.audience != Audience.ENTERPRISE:
        raise Conflict("not_for_enterprises", _("Only benefits judged on register facts are pushed; this one's "
                                                "conditions are checked on application."))
    on = on or timezone.localdate()
    matching = Enterprise.objects.filter(rule_q(benefit.rule, on=on))
    with transaction.atomic():
        push = BenefitPush.objects.create(
            benefit=benefit, benefit_version=benefit.version, reason=reason[:16], on=on,
            total=matching.count(), max_id=matching.order_by("-id").values_list("id", flat=True).first() or 0,
            created_by=actor.user if actor.user is not None and actor.user.pk else None,
        )
        audit_record(actor=actor, verb="policies.benefit_push_started", obj=push, department=benefit.department,
                     params={"benefit": benefit.pk, "version": benefit.version, "total": push.total, "on": on})
        from shuangchuang.policies.tasks import run_benefit_push

        enqueue_after_commit(run_benefit_push, push.pk)
    return push


def _members_by_enterprise(usccs: list[str]) -> dict[str, list]:
    rows = (
        Membership.objects.filter(organisation__code__in=usccs, organisation__kind=OrganisationKind.ENTERPRISE,
                                  organisation__is_active=True, is_active=True, role__in=ENTERPRISE_ROLES,
                                  user__is_active=True)
        .select_related("user", "organisation")
    )
    found: dict[str, dict] = defaultdict(dict)
    for membership in rows:
        found[membership.organisation.code].setdefault(membership.user_id, (membership.user, membership.organisation))
    return {code: list(users.values()) for code, users in found.items()}


def benefit_push_chunk(*, actor: Actor, push: BenefitPush, chunk: int = PUSH_CHUNK) -> BenefitPush:
    """Process the next chunk of a push: note each newly matching enterprise once and message its people."""
    benefit = push.benefit
    require(can_edit_benefit(actor, benefit))
    if push.status in (PushStatus.DONE, PushStatus.FAILED):
        return push
    ctx = context_for(push.on)
    with transaction.atomic():
        push = BenefitPush.objects.select_for_update().get(pk=push.pk)
        if push.status == PushStatus.QUEUED:
            push.status = PushStatus.RUNNING
            push.started_at = timezone.now()
        rows = list(
            Enterprise.objects.filter(rule_q(benefit.rule, ctx=ctx), id__gt=push.cursor)
            .order_by("id").values_list("id", "uscc")[:chunk]
        )
        ids = [row[0] for row in rows]
        told = set(BenefitNotice.objects.filter(benefit=benefit, enterprise_id__in=ids)
                   .values_list("enterprise_id", flat=True)) if ids else set()
        new = [row for row in rows if row[0] not in told]
        BenefitNotice.objects.bulk_create(
            [BenefitNotice(benefit=benefit, enterprise_id=eid, push=push) for eid, _uscc in new],
            ignore_conflicts=True, batch_size=2000,
        )
        url = reverse("policies:benefit", args=[benefit.pk])
        people = {user.pk: user for members in _members_by_enterprise([uscc for _eid, uscc in new]).values()
                  for user, _org in members}
        if people:
            # One message per person and chunk (a person acting for several matching enterprises gets one); the
            # benefit page explains it for the enterprise they act for.
            notification_send(
                actor=actor, recipients=list(people.values()),
                subject=_("A benefit may apply to your enterprise: %(title)s") % {"title": benefit.title},
                body=_("A published benefit matches the register facts of an enterprise you act for. Open it to see "
                       "why and what to do next."),
                url=url,
            )
        messages = len(people)
        push.processed += len(rows)
        push.notified += len(new)
        push.messages += messages
        if rows:
            push.cursor = rows[-1][0]
        if len(rows) < chunk:
            push.status = PushStatus.DONE
            push.cursor = max(push.cursor, push.max_id)
            push.finished_at = timezone.now()
        push.save()
        audit_record(actor=actor, verb="policies.benefit_push_chunk", obj=push, department=benefit.department,
                     params={"benefit": benefit.pk, "scanned": len(rows), "notified": len(new), "messages": messages,
                             "cursor": push.cursor, "status": push.status})
    return push


def push_fail(*, actor: Actor, push: BenefitPush, error: str) -> BenefitPush:
    with transaction.atomic():
        push.status = PushStatus.FAILED
        push.error = error[:2000]
        push.finished_at = timezone.now()
        push.save(update_fields=["status", "error", "finished_at"])
        audit_record(actor=actor, verb="policies.benefit_push_failed", obj=push, department=push.benefit.department,
                     params={"error": error[:500]})
    return push


# ----------------------------------------------------------------------------------------------------------------
# Saved searches and digests

def _clean_filters(filters: dict) -> dict:
    from shuangchuang.policies.selectors.documents import FILTER_KEYS

    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}
    wrong = sorted(set(filters) - set(FILTER_KEYS))
    if wrong:
        raise ServiceError("unknown_filter", _("Unknown filters: %(names)s.") % {"names": ", ".join(wrong)},
                           field="filters")
    return {k: str(v)[:64] for k, v in filters.items()}


def saved_search_create(*, actor: Actor, name: str, query: str = "", filters: dict | None = None,
                        frequency: str = DigestFrequency.WEEKLY) -> SavedSearch:
    require(can_save_search(actor))
    name = (name or "").strip() or (query or "").strip() or _("My policy alert")
    if frequency not in DigestFrequency.values:
        raise ServiceError("invalid_frequency", _("Choose daily or weekly."), field="frequency")
    filters = _clean_filters(filters or {})
    query = (query or "").strip()[:200]
    if not query and not filters:
        raise ServiceError("empty_search", _("Search for something or choose a filter before saving."), field="query")
    if SavedSearch.objects.filter(user=actor.user, is_active=True).count() >= 20:
        raise Conflict("too_many", _("You can keep at most 20 alerts; delete one first."))
    with transaction.atomic():
        saved = SavedSearch.objects.create(user=actor.user, organisation=actor.organisation, name=name[:100],
                                           query=query, filters=filters, frequency=frequency,
                                           last_sent_at=timezone.now())
        audit_record(actor=actor, verb="policies.saved_search_created", obj=saved,
                     params={"query": query, "filters": filters, "frequency": frequency})
    return saved


def saved_search_delete(*, actor: Actor, saved_search: SavedSearch) -> None:
    require(can_manage_saved_search(actor, saved_search))
    with transaction.atomic():
        audit_record(actor=actor, verb="policies.saved_search_deleted", obj=saved_search)
        saved_search.delete()


def saved_search_unsubscribe(*, actor: Actor, token: str) -> SavedSearch:
    """One-click unsubscribe from a digest e-mail: the token in the link is the credential."""
    saved = SavedSearch.objects.filter(token=token or "").first()
    if saved is None:
        raise ServiceError("unknown_token", _("This unsubscribe link is not valid."))
    if saved.is_active:
        with transaction.atomic():
            saved.is_active = False
            saved.save(update_fields=["is_active"])
            audit_record(actor=actor, verb="policies.saved_search_unsubscribed", obj=saved)
    return saved


def saved_search_digest_send(*, actor: Actor, saved_search: SavedSearch, now: datetime.datetime | None = None
                             ) -> int:
    """Send the digest of documents and benefits published since the last one; returns how many were listed."""
    from shuangchuang.policies.selectors.documents import benefits_published_since, documents_published_since

    now = now or timezone.now()
    if not saved_search.is_active:
        return 0
    since = saved_search.last_sent_at or saved_search.created_at
    documents = list(documents_published_since(saved_search.query, saved_search.filters, since=since, until=now)[:20])
    benefits = list(benefits_published_since(saved_search.query, since=since, until=now)[:20])
    with transaction.atomic():
        saved_search.last_sent_at = now
        saved_search.save(update_fields=["last_sent_at"])
        if documents or benefits:
            lines = [f"· {d.title}（{d.number}）" if d.number else f"· {d.title}" for d in documents]
            lines += [f"· {b.title}" for b in benefits]
            unsubscribe = reverse("policies:unsubscribe", args=[saved_search.token])
            body = "\n".join(lines) + "\n\n" + _("Stop these messages with one click: %(url)s") % {"url": unsubscribe}
            notification_send(
                actor=actor, recipients=[saved_search.user], organisation=saved_search.organisation,
                subject=_("New policies for your alert “%(name)s”") % {"name": saved_search.name},
                body=body, url=reverse("policies:index") + (f"?q={saved_search.query}" if saved_search.query else ""),
            )
        audit_record(actor=actor, verb="policies.saved_search_digest_sent", obj=saved_search,
                     params={"documents": [d.pk for d in documents], "benefits": [b.pk for b in benefits]})
    return len(documents) + len(benefits)


def deadline_reminders_send(*, actor: Actor, on: datetime.date | None = None) -> int:
    """Remind the people of each notified enterprise once when a benefit's application window is about to close.

    The lead time is the parameter policies.reminder_days valid on the date; nothing is sent while it is not set."""
    from shuangchuang.policies.selectors.parameters import parameter_value

    on = on or timezone.localdate()
    days = parameter_value("policies.reminder_days", on=on)
    if days is None:
        return 0
    until = on + datetime.timedelta(days=int(days))
    benefits = Benefit.objects.published().filter(apply_until__gte=on, apply_until__lte=until)
    sent = 0
    with transaction.atomic():
        for benefit in benefits:
            notices = list(BenefitNotice.objects.filter(benefit=benefit, reminded_at__isnull=True)
                           .select_related("enterprise")[:5000])
            people = _members_by_enterprise([n.enterprise.uscc for n in notices])
            for uscc, members in people.items():
                organisation = members[0][1]
                notification_send(
                    actor=actor, recipients=[user for user, _org in members], organisation=organisation,
                    subject=_("Applications for %(title)s close on %(date)s") % {"title": benefit.title,
                                                                              "date": benefit.apply_until},
                    body=_("%(name)s was told this benefit may apply to it. The application window closes on "
                           "%(date)s.") % {"name": organisation.name, "date": benefit.apply_until},
                    url=reverse("policies:benefit", args=[benefit.pk]),
                )
                sent += len(members)
            BenefitNotice.objects.filter(pk__in=[n.pk for n in notices]).update(reminded_at=timezone.now())
        audit_record(actor=actor, verb="policies.deadline_reminders_sent", params={"on": on, "messages": sent})
    return sent


def push_document_benefits(*, actor: Actor, document: PolicyDocument) -> list[BenefitPush]:
    """Start a push for each published enterprise benefit of a newly published document (used by a task)."""
    return [benefit_push_start(actor=actor, benefit=benefit, reason="published")
            for benefit in document.benefits.filter(status=BenefitStatus.PUBLISHED, audience=Audience.ENTERPRISE)]
