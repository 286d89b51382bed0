"""Reads of programmes, calls and applications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from shuangchuang.programmes.models import Application, Call, CallStatus, Programme, State

COMMITTED_STATES = (State.PROPOSED, State.PUBLICITY, State.AWARDED, State.COMPLETED)


def programmes_public() -> QuerySet[Programme]:
    return (Programme.objects.filter(is_active=True).select_related("department", "clause", "clause__document")
            .order_by("department__code", "code"))


def calls_public(*, open_only: bool = False, programme: str = "") -> QuerySet[Call]:
    calls = Call.objects.published().select_related("programme", "programme__department")
    if open_only:
        calls = calls.open_at()
    if programme:
        calls = calls.filter(programme__code=programme)
    return calls.order_by("online_closes_at", "pk")


def call_public(pk: int) -> Call | None:
    return calls_public().filter(pk=pk).first()


def call_detail(pk: int) -> Call | None:
    return Call.objects.select_related("programme", "programme__department", "programme__clause").filter(pk=pk).first()


def committed_fen(call: Call, *, exclude: int | None = None) -> int:
    rows = Application.objects.filter(call=call, state__in=COMMITTED_STATES)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return int(rows.aggregate(total=Sum("proposed_fen"))["total"] or 0)


@dataclass
class OpenCall:
    call: Call
    explanation: object | None
    eligible: bool | None


def open_calls_for(enterprise, *, on: datetime.date | None = None) -> list[OpenCall]:
    """Open calls with the enterprise's eligibility explanation, the ones it passes first."""
    from shuangchuang.policies.rules import context_for, explain

    calls = list(calls_public(open_only=True))
    if enterprise is None:
        return [OpenCall(c, None, None) for c in calls]
    ctx = context_for(on or timezone.localdate())
    found = []
    for call in calls:
        explanation = explain(call.rule or {"all": []}, enterprise, ctx=ctx)
        found.append(OpenCall(call, explanation, explanation.outcome == "pass"))
    found.sort(key=lambda o: (not o.eligible, o.call.online_closes_at))
    return found


def person_call_explanation(call: Call, user) -> dict:
    """A person's eligibility for a talent call before starting: each personal condition the form states (to be
    answered: 'unknown' until the answers are given) and the real-name data of the account, which is known now.
    The outcome is 'fail' when the account cannot apply, else 'unknown' when conditions await answers."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from shuangchuang.core.idnumber import validate_id_number
    from shuangchuang.programmes.services.checks import condition_text, constrained_fields

    conditions = [{"requirement": condition_text(spec), "actual": "", "outcome": "unknown",
                   "note": _("answered in the form"), "cite": ""} for spec in constrained_fields(call)]
    try:
        validate_id_number("".join((user.id_number or "").split()).upper())
        id_outcome = "pass" if user.full_name else "fail"
    except ValidationError:
        id_outcome = "fail"
    conditions.append({"requirement": _("A real name and a valid resident ID number on the account (GB 11643)"),
                       "actual": "", "outcome": id_outcome, "note": "", "cite": ""})
    outcomes = {c["outcome"] for c in conditions}
    outcome = "fail" if "fail" in outcomes else ("unknown" if "unknown" in outcomes else "pass")
    return {"outcome": outcome, "conditions": conditions, "person": True}


def open_calls_for_person(user, *, on: datetime.date | None = None) -> list[OpenCall]:
    """The open calls a natural person applies to (talent calls), each with the form-based explanation; the
    ones the account can apply to first."""
    calls = list(calls_public(open_only=True).filter(person_applicants=True))
    found = []
    for call in calls:
        explanation = person_call_explanation(call, user)
        found.append(OpenCall(call, explanation, explanation["outcome"] != "fail"))
    found.sort(key=lambda o: (not o.eligible, o.call.online_closes_at))
    return found


def applications_of(organisation) -> QuerySet[Application]:
    return (Application.objects.filter(organisation=organisation)
            .select_related("call", "call__programme").order_by("-updated_at"))


def applications_of_person(user) -> QuerySet[Application]:
    """A natural person's own applications (talent calls)."""
    return (Application.objects.filter(person=user)
            .select_related("call", "call__programme").order_by("-updated_at"))


def application_detail(pk: int) -> Application | None:
    return (Application.objects.select_related("call", "call__programme", "call__programme__department",
                                               "organisation", "enterprise", "person", "employer", "award")
            .prefetch_related("assignments").filter(pk=pk).first())


OFFICER_LIST_COLUMNS = ("id", "call_id", "organisation_id", "enterprise_id", "project_title", "requested_fen",
                        "proposed_fen", "state", "score", "rank", "submitted_at", "state_changed_at")


def officer_applications(department, *, call: int | None = None, state: str = "", q: str = "",
                         ordering: str = "-submitted_at") -> QuerySet[Application]:
    """The officers' list: applications to the department's calls, drafts excluded, with filters. Plain rows of
    the application table only (sorted and counted without joins); `with_names` adds the names of one page."""
    call_ids = list(Call.objects.filter(programme__department=department).values_list("pk", flat=True))
    if call:
        call_ids = [call] if call in call_ids else []
    rows = Application.objects.filter(call_id__in=call_ids).exclude(state=State.DRAFT)
    if state:
        rows = rows.filter(state=state)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(project_title__icontains=q) | Q(organisation__name__icontains=q)
                           | Q(person__full_name__icontains=q)
                           | Q(enterprise__uscc=q.upper()) | Q(project_key=q.upper()))
    allowed = {"-submitted_at", "submitted_at", "rank", "-score", "-requested_fen", "state_changed_at"}
    ordering = ordering if ordering in allowed else "-submitted_at"
    return rows.order_by(ordering, "-id").values(*OFFICER_LIST_COLUMNS)


def with_names(rows) -> list[dict]:
    """The rows of one page with the call title, the applicant's name and USCC (two queries)."""
    rows = [dict(r) for r in rows]
    calls = dict(Call.objects.filter(pk__in={r["call_id"] for r in rows}).values_list("pk", "title"))
    names = {pk: (name or person or "", uscc or "") for pk, name, uscc, person in Application.objects.filter(pk__in=[r["id"] for r in rows])
             .values_list("pk", "organisation__name", "enterprise__uscc", "person__full_name")}
    states = dict(State.choices)
    for row in rows:
        row["state_display"] = states.get(row["state"], row["state"])
        row["call__title"] = calls.get(row["call_id"], "")
        row["organisation__name"], row["enterprise__uscc"] = names.get(row["id"], ("", ""))
    return rows


def department_calls(department) -> QuerySet[Call]:
    return (Call.objects.filter(programme__department=department).select_related("programme")
            .annotate(n_applications=Count("applications", filter=~Q(applications__state=State.DRAFT)))
            .order_by("-online_opens_at", "-pk"))


def department_programmes(department) -> QuerySet[Programme]:
    return Programme.objects.filter(department=department).order_by("code")


def call_is_public(call: Call) -> bool:
    return call.status == CallStatus.PUBLISHED
