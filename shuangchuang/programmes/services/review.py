"""Expert review: drawing reviewers from the pool by field, the conflict-of-interest declaration, scored reviews,
aggregation (mean, trimmed mean), ranking against the budget, and site-visit records."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.models import Role, User
from shuangchuang.programmes.models import (
    Aggregation,
    Application,
    Assignment,
    Call,
    ConflictKind,
    ExpertProfile,
    SiteVisit,
    State,
)
from shuangchuang.programmes.permissions import can_declare, can_manage_call, can_officiate, can_score
from shuangchuang.programmes.services.checks import formula_limit, max_award
from shuangchuang.programmes.services.common import fen_text

Q3 = Decimal("0.001")


def expert_profile_set(*, actor: Actor, user: User, fields: list[str], institution: str = "",
                       related_usccs: list[str] = ()) -> ExpertProfile:
    """Put a person in the expert pool (platform admin or any department officer)."""
    if not (actor.is_system or actor.is_platform_admin or actor.department is not None):
        require((False, _("Only department officers manage the expert pool.")))
    fields = sorted({str(f).strip() for f in fields if str(f).strip()})
    if not fields:
        raise ServiceError("fields_required", _("Give at least one field of expertise."), field="fields")
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.update_or_create(
            user=user, defaults={"fields": fields, "institution": institution.strip()[:200],
                                 "related_usccs": sorted({u.strip().upper() for u in related_usccs if u.strip()})})
        audit_record(actor=actor, verb="programmes.expert_set", obj=profile,
                     params={"fields": fields, "institution": profile.institution})
    return profile


def expert_pool(field: str) -> list[ExpertProfile]:
    """Active experts of a field who hold an active reviewer membership."""
    profiles = (ExpertProfile.objects.filter(is_active=True, user__is_active=True,
                                             user__memberships__role=Role.REVIEWER,
                                             user__memberships__is_active=True)
                .select_related("user").distinct().order_by("user_id"))
    return [p for p in profiles if not field or field in p.fields]


def known_conflict(profile: ExpertProfile, application: Application) -> str:
    """A conflict the platform knows of without asking: related enterprise or membership of the applicant."""
    if application.person_id is not None and application.person_id == profile.user_id:
        return ConflictKind.OTHER
    for firm in (application.enterprise, application.employer):
        if firm is not None and firm.uscc in (profile.related_usccs or []):
            return ConflictKind.RELATED_FIRM
    if profile.user.memberships.filter(organisation_id=application.organisation_id, is_active=True).exists():
        return ConflictKind.RELATED_FIRM
    return ""


def reviewers_assign(*, actor: Actor, application: Application, count: int | None = None,
                     seed: int | None = None) -> list[Assignment]:
    """Draw reviewers at random from the call's field, leaving out experts with a known conflict."""
    require(can_officiate(actor, application))
    if application.state != State.REVIEW:
        raise Conflict("wrong_state", _("Reviewers are assigned while the application is in expert review."))
    call = application.call
    count = count or call.reviewers_per_application
    taken = set(application.assignments.values_list("reviewer_id", flat=True))
    pool = [p for p in expert_pool(call.expert_field) if p.user_id not in taken and not known_conflict(p, application)]
    need = max(count - len(taken), 0)
    if need and len(pool) < need:
        raise Conflict("pool_too_small", _("The expert pool of %(field)s has only %(n)d experts without a known "
                                           "conflict.") % {"field": call.expert_field or _("any field"), "n": len(pool)})
    chosen = random.Random(seed).sample(pool, need) if need else []
    due = timezone.now() + datetime.timedelta(days=call.review_days) if call.review_days else None
    with transaction.atomic():
        made = [Assignment.objects.create(application=application, reviewer=p.user, due_at=due) for p in chosen]
        audit_record(actor=actor, verb="programmes.reviewers_assigned", obj=application,
                     department=call.programme.department, params={"reviewers": [p.user_id for p in chosen]})
        for profile in chosen:
            from shuangchuang.core.services import notification_send

            notification_send(actor=actor, recipients=[profile.user], url="/programmes/reviews/",
                              subject=_("A review is assigned to you: %(call)s") % {"call": call.title},
                              body=_("Declare your conflicts of interest before you see the application."))
    return made


def conflict_declare(*, actor: Actor, assignment: Assignment, conflict: bool, kind: str = "",
                     note: str = "") -> Assignment:
    """The reviewer's declaration, required before the application is shown. A conflict excludes them."""
    require(can_declare(actor, assignment))
    if conflict and kind not in ConflictKind.values or conflict and not kind:
        raise ServiceError("conflict_kind_required", _("Say what the conflict is."), field="kind")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.declared_at is not None:
            raise Conflict("already_declared", _("You have already declared for this application."))
        assignment.declared_at = timezone.now()
        assignment.conflict = bool(conflict)
        assignment.conflict_kind = kind if conflict else ""
        assignment.conflict_note = (note or "").strip()[:300]
        assignment.save()
        application = assignment.application
        audit_record(actor=actor, verb="programmes.conflict_declared", obj=assignment,
                     object_label=application.reference, department=application.call.programme.department,
                     params={"application": application.pk, "conflict": assignment.conflict,
                             "kind": assignment.conflict_kind})
    return assignment


def review_submit(*, actor: Actor, assignment: Assignment, scores: dict, comment: str) -> Assignment:
    require(can_score(actor, assignment))
    application = assignment.application
    if application.state != State.REVIEW:
        raise Conflict("wrong_state", _("The review of this application is closed."))
    criteria = application.call.criteria or []
    if not criteria:
        raise Conflict("no_criteria", _("This call has no scoring criteria."))
    cleaned, total = {}, Decimal(0)
    for criterion in criteria:
        raw = (scores or {}).get(criterion["key"])
        try:
            value = Decimal(str(raw).strip())
        except Exception:
            raise ServiceError("invalid_score", _("Give a score for %(label)s.") % {"label": criterion["label"]},
                               field=criterion["key"]) from None
        if not value.is_finite() or value < 0 or value > criterion["max"] or value.as_tuple().exponent < -1:
            raise ServiceError("invalid_score", _("%(label)s is scored from 0 to %(max)d (one decimal).")
                               % {"label": criterion["label"], "max": criterion["max"]}, field=criterion["key"])
        cleaned[criterion["key"]] = str(value)
        total += value
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("comment_required", _("Write the reasons for your scores."), field="comment")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submitted_at is not None:
            raise Conflict("already_submitted", _("You have already submitted this review."))
        assignment.scores, assignment.total, assignment.comment = cleaned, total, comment[:5000]
        assignment.submitted_at = timezone.now()
        assignment.save()
        audit_record(actor=actor, verb="programmes.review_submitted", obj=assignment,
                     object_label=application.reference, department=application.call.programme.department,
                     params={"application": application.pk, "total": str(total)})
    return assignment


# ---- aggregation and ranking -----------------------------------------------------------------------------------

def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Q3, ROUND_HALF_UP)


def trimmed_mean(values: list[Decimal]) -> Decimal | None:
    """The mean without the single highest and lowest score (plain mean with fewer than three scores)."""
    if len(values) < 3:
        return mean(values)
    ordered = sorted(values)
    return mean(ordered[1:-1])


def _score(call: Call, values: list[Decimal]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    m, t = mean(values), trimmed_mean(values)
    return m, t, (t if call.aggregation == Aggregation.TRIMMED_MEAN else m)


def aggregate_one(application: Application) -> None:
    """Set the scores of one application from its submitted reviews (the caller saves)."""
    values = [a.total for a in application.assignments.filter(submitted_at__isnull=False, conflict=False)]
    application.score_mean, application.score_trimmed, application.score = _score(application.call, values)


@dataclass
class RankingResult:
    ranked: int
    funded: int
    allocated_fen: int
    available_fen: int
    below_pass: int


RANKING_COLUMNS = ("id", "rank", "score_mean", "score_trimmed", "score", "proposed_fen", "allocation_note")
RANKING_CASTS = ("INTEGER", "INTEGER", "NUMERIC", "NUMERIC", "NUMERIC", "BIGINT", "VARCHAR(300)")


def _write_ranking(rows: list[tuple], chunk: int = 2000) -> None:
    """Write the ranking of many applications in a few statements (UPDATE … FROM a VALUES list; SQLite ≥ 3.33
    and PostgreSQL), instead of one CASE per row and column."""
    table = connection.ops.quote_name(Application._meta.db_table)
    names = [connection.ops.quote_name(c) for c in RANKING_COLUMNS]
    sets = ", ".join(f"{n} = CAST(v.{n} AS {cast})" for n, cast in zip(names[1:], RANKING_CASTS[1:]))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = ", ".join(["(" + ", ".join(["%s"] * len(RANKING_COLUMNS)) + ")"] * len(part))
            cursor.execute(
                f"WITH v({', '.join(names)}) AS (VALUES {values}) "
                f"UPDATE {table} SET {sets} FROM v WHERE {table}.{names[0]} = CAST(v.{names[0]} AS INTEGER)",
                [value for row in part for value in row])


def call_rank(*, actor: Actor, call: Call) -> RankingResult:
    """Rank the reviewed applications of a call by score and allocate the budget left in rank order: each gets
    what it asked for up to the call's maximum while the budget lasts (an application that does not fit is
    skipped and the next smaller one may still fit). Writes rank, score and suggested amount; the committee then
    proposes. Ties are broken by the earlier submission."""
    from shuangchuang.programmes.selectors.calls import committed_fen

    require(can_manage_call(actor, call))
    limit = max_award(call)
    formula = bool(call.rate_parameter and call.rate_base_field)
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        rows = list(Application.objects.filter(call=call, state=State.REVIEWED)
                    .values_list("pk", "requested_fen", "submitted_at"))
        if formula:  # cap each request by the call's share of its base answer
            answers = dict(Application.objects.filter(call=call, state=State.REVIEWED).values_list("pk", "answers"))
            capped = []
            for pk, requested, submitted_at in rows:
                share = formula_limit(call, answers.get(pk) or {})
                capped.append((pk, min(requested, share) if share is not None else requested, submitted_at))
            rows = capped
        scores: dict[int, list[Decimal]] = {}
        for application_id, total in (Assignment.objects.filter(application__call=call,
                                                                application__state=State.REVIEWED,
                                                                submitted_at__isnull=False, conflict=False)
                                      .values_list("application_id", "total")):
            scores.setdefault(application_id, []).append(total)
        computed = []
        for pk, requested, submitted_at in rows:
            m, t, s = _score(call, scores.get(pk, []))
            computed.append((pk, requested, submitted_at, m, t, s))
        far_past = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
        computed.sort(key=lambda r: (-(r[5] if r[5] is not None else Decimal(-1)), r[2] or far_past, r[0]))
        available = call.budget_fen - committed_fen(call)
        left, funded, below, updates = available, 0, 0, []
        for rank, (pk, requested, _submitted, m, t, s) in enumerate(computed, start=1):
            amount = min(requested, limit) if limit is not None else requested
            if s is None or (call.pass_score is not None and s < call.pass_score):
                proposed, note = None, _("Below the pass score.") if s is not None else _("No review submitted.")
                below += 1
            elif amount <= left:
                proposed, note = amount, ""
                left -= amount
                funded += 1
            else:
                proposed, note = None, _("Budget exhausted (%(left)s yuan left).") % {"left": fen_text(left)}
            updates.append((pk, rank, m, t, s, proposed, str(note)))
        _write_ranking(updates)
        result = RankingResult(ranked=len(computed), funded=funded, allocated_fen=available - left,
                               available_fen=available, below_pass=below)
        audit_record(actor=actor, verb="programmes.call_ranked", obj=call, department=call.programme.department,
                     params=result.__dict__)
    return result


def site_visit_record(*, actor: Actor, application: Application, visited_on: datetime.date, visitors: str,
                      findings: str, recommendation: str) -> SiteVisit:
    require(can_officiate(actor, application))
    if not application.call.uses("site_visit"):
        raise Conflict("no_site_visits", _("This call has no site visits."))
    if application.state not in (State.SUBMITTED, State.REVIEW, State.REVIEWED):
        raise Conflict("wrong_state", _("Site visits are recorded before the committee decides."))
    if not isinstance(visited_on, datetime.date) or visited_on > timezone.localdate():
        raise ServiceError("invalid_date", _("Give the date of the visit (not in the future)."), field="visited_on")
    visitors, findings = (visitors or "").strip(), (findings or "").strip()
    if not visitors or not findings:
        raise ServiceError("required", _("Give who visited and what they found."), field="findings")
    if recommendation not in ("support", "doubts", "against"):
        raise ServiceError("invalid_recommendation", _("Choose a recommendation."), field="recommendation")
    with transaction.atomic():
        visit = SiteVisit.objects.create(application=application, visited_on=visited_on, visitors=visitors[:300],
                                         findings=findings[:5000], recommendation=recommendation,
                                         recorded_by=actor.label)
        audit_record(actor=actor, verb="programmes.site_visit_recorded", obj=application,
                     department=application.call.programme.department,
                     params={"visited_on": visited_on, "recommendation": recommendation})
    return visit


def overdue_reminders_send(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """Remind reviewers of reviews past due (a daily job). Returns how many were reminded."""
    now = now or timezone.now()
    overdue = (Assignment.objects.filter(submitted_at__isnull=True, due_at__lt=now, application__state=State.REVIEW)
               .exclude(conflict=True).select_related("reviewer", "application__call"))
    count = 0
    for assignment in overdue:
        from shuangchuang.core.services import notification_send

        notification_send(actor=actor, recipients=[assignment.reviewer], url="/programmes/reviews/",
                          subject=_("A review is overdue: %(call)s") % {"call": assignment.application.call.title})
        count += 1
    return count


