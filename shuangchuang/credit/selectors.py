"""Reads of the credit module. Each owns its select_related; public reads filter to public lists and entries."""

from __future__ import annotations

import datetime
import re

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.credit.models import (
    Adjudication,
    AnnualReport,
    BulkRow,
    CreditList,
    EntryStatus,
    ImportBatch,
    Job,
    ListEntry,
    RepairApplication,
    RepairState,
    RescreenHit,
    Restriction,
    RestrictionSubject,
    ScreeningEvidence,
)
from shuangchuang.credit.services.common import add_months
from shuangchuang.registry.models import Enterprise
from shuangchuang.credit import lookup
from shuangchuang.credit.normalise import clean

USCC_LIKE = re.compile(r"^[0-9A-Z]{18}$")


def today() -> datetime.date:
    return timezone.localdate()


def in_force_on(on: datetime.date) -> Q:
    """Entries that are listed on a day: listed by then, not removed or expired by then."""
    return (
        Q(listed_on__lte=on)
        & (Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        & (Q(expires_on__isnull=True) | Q(expires_on__gt=on))
    )


# ---- lists -----------------------------------------------------------------------------------------------

def lists_public() -> QuerySet[CreditList]:
    return (
        CreditList.objects.filter(is_active=True, is_public=True)
        .select_related("department")
        .prefetch_related("restrictions")
        .order_by("department__code", "code")
    )


def lists_public_with_counts() -> QuerySet[CreditList]:
    return lists_public().annotate(
        active_count=Count("entries", filter=Q(entries__status=EntryStatus.ACTIVE, entries__is_public=True))
    )


def lists_visible_to(actor: Actor) -> QuerySet[CreditList]:
    lists = CreditList.objects.filter(is_active=True).select_related("department")
    if actor.is_platform_admin or actor.is_system or actor.department is not None:
        return lists.order_by("department__code", "code")
    return lists.filter(is_public=True).order_by("department__code", "code")


def lists_of_department(department: Organisation | None) -> QuerySet[CreditList]:
    if department is None:
        return CreditList.objects.none()
    return (
        CreditList.objects.filter(department=department)
        .select_related("department", "escalate_to")
        .annotate(active_count=Count("entries", filter=Q(entries__status=EntryStatus.ACTIVE)))
        .order_by("code")
    )


def list_by_code(code: str) -> CreditList | None:
    return CreditList.objects.select_related("department", "escalate_to").filter(code=code).first()


def list_by_id(pk) -> CreditList | None:
    return CreditList.objects.select_related("department", "escalate_to").filter(pk=pk).first()


def list_versions() -> dict[str, int]:
    return dict(CreditList.objects.filter(is_active=True).values_list("code", "version"))


def restrictions_of(credit_list: CreditList) -> QuerySet[Restriction]:
    return credit_list.restrictions.order_by("action", "-valid_from")


def restrictions_for_action(action: str) -> list[Restriction]:
    return list(Restriction.objects.filter(action=action).select_related("credit_list"))


def _listed_since_threshold(on: datetime.date, months: int) -> datetime.date:
    """The earliest listing day whose restriction of `months` from listing still applies on `on`
    (the screening rule: it applies while on < add_months(listed_on, months))."""
    day = add_months(on, -months)
    while add_months(day, months) > on:
        day -= datetime.timedelta(days=1)
    while add_months(day, months) <= on:
        day += datetime.timedelta(days=1)
    return day


def blocked_uscc_subquery(*, action: str, on: datetime.date) -> QuerySet:
    """The USCCs of registered enterprises that a list restricts from `action` on `on`, as a subquery (one
    `.values("uscc")` queryset) for rules that select enterprises in the database (policies' credit fact).

    An enterprise counts when an entry in force on the day carries its USCC or was linked to it (by screening or
    re-screening), on a list with a restriction of the party for this action valid on the day — with the same
    "months from listing" rule as screening. Entries found only by a similar name are left to screening, where a
    person adjudicates them."""
    conditions = Q(pk__in=[])
    for restriction in Restriction.objects.filter(
            action=action, subject=RestrictionSubject.PARTY, valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)):
        condition = Q(credit_list_id=restriction.credit_list_id)
        if restriction.duration_months:
            condition &= Q(listed_on__gte=_listed_since_threshold(on, restriction.duration_months))
        conditions |= condition
    entries = ListEntry.objects.filter(in_force_on(on), conditions)
    return Enterprise.objects.filter(
        Q(uscc__in=entries.exclude(uscc="").values("uscc"))
        | Q(pk__in=entries.filter(enterprise__isnull=False).values("enterprise_id"))
    ).values("uscc")


def blocked_actions(*, enterprise, on: datetime.date) -> set[str]:
    """The actions a list restricts this registered enterprise from on `on` — the same rule as
    blocked_uscc_subquery, for one enterprise, in one query (entries joined with their lists' restrictions)."""
    rows = ListEntry.objects.filter(in_force_on(on)).filter(
        Q(uscc=enterprise.uscc) | Q(enterprise_id=enterprise.pk),
        credit_list__restrictions__subject=RestrictionSubject.PARTY,
        credit_list__restrictions__valid_from__lte=on,
    ).values_list("listed_on", "credit_list__restrictions__action", "credit_list__restrictions__valid_to",
                  "credit_list__restrictions__duration_months")
    return {action for listed_on, action, valid_to, months in rows
            if (valid_to is None or valid_to >= on) and (not months or on < add_months(listed_on, months))}


def restriction_by_id(pk) -> Restriction | None:
    return Restriction.objects.select_related("credit_list", "credit_list__department").filter(pk=pk).first()


# ---- entries ---------------------------------------------------------------------------------------------

def _entries() -> QuerySet[ListEntry]:
    return ListEntry.objects.select_related("credit_list", "credit_list__department", "enterprise")


def entry_by_id(pk) -> ListEntry | None:
    try:
        return _entries().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def entries_of_list(credit_list: CreditList, *, q: str = "", public_only: bool = True,
                    include_inactive: bool = False) -> QuerySet[ListEntry]:
    entries = _entries().filter(credit_list=credit_list)
    if public_only:
        entries = entries.filter(is_public=True)
    if not include_inactive:
        entries = entries.filter(status=EntryStatus.ACTIVE)
    q = " ".join((q or "").split())[:100]
    if q:
        code = q.upper()
        if USCC_LIKE.match(code):
            entries = entries.filter(uscc=code)
        else:
            entries = entries.filter(Q(name__contains=q) | Q(name__contains=clean(q)))
    return entries.order_by("-listed_on", "-id")


def entry_search(q: str, *, public_only: bool = True) -> QuerySet[ListEntry]:
    """Public credit search: entries whose USCC equals q or whose name contains q, on public lists."""
    q = " ".join((q or "").split())[:100]
    entries = _entries().filter(credit_list__is_active=True)
    if public_only:
        entries = entries.filter(credit_list__is_public=True, is_public=True)
    if not q:
        return entries.none()
    code = q.upper()
    if USCC_LIKE.match(code):
        condition = Q(uscc=code) | Q(enterprise__uscc=code)
        if re.match(r"^[0-9]{17}[0-9X]$", code):  # also the form of a personal ID number
            condition |= Q(id_number=code)
        return entries.filter(condition).order_by("status", "-listed_on", "-id")
    variants = {q, clean(q).replace("(", "（").replace(")", "）"), clean(q)}
    condition = Q()
    for variant in variants:
        condition |= Q(name__contains=variant)
    return entries.filter(condition).order_by("status", "-listed_on", "-id")


def entries_for_enterprise(enterprise, *, public_only: bool = True) -> QuerySet[ListEntry]:
    entries = _entries().filter(Q(uscc=enterprise.uscc) | Q(enterprise=enterprise), credit_list__is_active=True)
    if public_only:
        entries = entries.filter(credit_list__is_public=True, is_public=True)
    return entries.order_by("credit_list__kind", "-listed_on", "-id")


def entries_for_person(id_number: str) -> QuerySet[ListEntry]:
    if not id_number:
        return ListEntry.objects.none()
    return _entries().filter(Q(id_number=id_number) | Q(legal_representative_id_number=id_number)).order_by(
        "-listed_on")


def screening_candidates(keys: set[str], *, on: datetime.date, public_only: bool) -> list:
    """Entries sharing a look-up key with the query and in force on the day: one index look-up (credit.lookup)."""
    return lookup.candidates(keys, on=on, snapshot=lookup.lists_snapshot(), public_only=public_only)


def adjudications_for(query_key: str, entry_ids) -> dict[int, Adjudication]:
    rows = Adjudication.objects.filter(query_key=query_key, entry_id__in=list(entry_ids)).select_related("department")
    return {(a.entry_id, a.entry_version): a for a in rows}


# ---- evidence and jobs -----------------------------------------------------------------------------------

def evidence_by_id(pk) -> ScreeningEvidence | None:
    try:
        return ScreeningEvidence.objects.select_related("actor", "organisation").filter(pk=pk).first()
    except (ValueError, TypeError, Exception):  # a malformed UUID
        return None


def evidence_for(actor: Actor) -> QuerySet[ScreeningEvidence]:
    if actor.is_platform_admin:
        return ScreeningEvidence.objects.all()
    if actor.department is not None:
        return ScreeningEvidence.objects.filter(organisation=actor.department)
    if actor.user is not None:
        return ScreeningEvidence.objects.filter(actor=actor.user)
    return ScreeningEvidence.objects.none()


def job_by_id(pk) -> Job | None:
    return Job.objects.select_related("credit_list", "department").filter(pk=pk).first()


def jobs_for(actor: Actor) -> QuerySet[Job]:
    jobs = Job.objects.select_related("credit_list")
    if actor.is_platform_admin:
        return jobs
    if actor.department is not None:
        return jobs.filter(department=actor.department)
    if actor.user is not None:
        return jobs.filter(created_by=actor.user)
    return jobs.none()


def rescreen_hits(job: Job) -> QuerySet[RescreenHit]:
    return job.rescreen_hits.select_related("enterprise", "entry", "entry__credit_list").order_by("-score", "id")


def bulk_rows(job: Job) -> QuerySet[BulkRow]:
    return job.bulk_rows.order_by("row")


def import_batch_by_id(pk) -> ImportBatch | None:
    return ImportBatch.objects.select_related("credit_list", "credit_list__department").filter(pk=pk).first()


def imports_of(credit_list: CreditList) -> QuerySet[ImportBatch]:
    return credit_list.imports.order_by("-created_at")


# ---- annual reports --------------------------------------------------------------------------------------

def annual_reports_for(enterprise) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(enterprise=enterprise).order_by("-year", "-version")


def annual_report_current(enterprise, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(enterprise=enterprise, year=year, is_current=True).first()


# ---- repair ----------------------------------------------------------------------------------------------

def _repairs() -> QuerySet[RepairApplication]:
    return RepairApplication.objects.select_related(
        "entry", "entry__credit_list", "entry__credit_list__department", "applicant", "organisation")


def repair_by_id(pk) -> RepairApplication | None:
    return _repairs().filter(pk=pk).first()


def repairs_for_department(department: Organisation | None, *, open_only: bool = False):
    if department is None:
        return RepairApplication.objects.none()
    repairs = _repairs().filter(entry__credit_list__department=department)
    if open_only:
        repairs = repairs.filter(state__in=[RepairState.SUBMITTED, RepairState.INFO_REQUESTED])
    return repairs


def repairs_for_applicant(actor: Actor):
    if actor.user is None:
        return RepairApplication.objects.none()
    condition = Q(applicant=actor.user)
    if actor.organisation is not None:
        condition |= Q(organisation=actor.organisation)
    return _repairs().filter(condition)


def open_repair_for(entry) -> RepairApplication | None:
    return entry.repairs.filter(state__in=[RepairState.SUBMITTED, RepairState.INFO_REQUESTED]).first()
