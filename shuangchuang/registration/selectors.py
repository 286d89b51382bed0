"""Reads of the registration module: rules by date, scope terms, applications, licences, notices, custodians."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from shuangchuang.core import calendar as core_calendar
from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.registration.models import (
    Application,
    ApplicationState,
    Custodian,
    CustodianState,
    Deregistration,
    DeregistrationState,
    HostingContract,
    Licence,
    RegistrationBar,
    RuleParameter,
    ScopeTerm,
)
from shuangchuang.registration.reference import authority_codes


def today() -> datetime.date:
    return timezone.localdate()


# ---- rules ------------------------------------------------------------------------------------------------

def rule_at(key: str, *, on: datetime.date) -> RuleParameter | None:
    return (RuleParameter.objects.filter(key=key, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())


def rule_value(key: str, *, on: datetime.date):
    row = rule_at(key, on=on)
    return None if row is None else row.value


def rule_rows(prefix: str = "") -> QuerySet[RuleParameter]:
    return RuleParameter.objects.filter(key__startswith=prefix).order_by("key", "valid_from")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`, by the platform's working calendar (core.calendar)."""
    return core_calendar.add_working_days(start, days)


# ---- reference ---------------------------------------------------------------------------------------------

def authorities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(code__in=authority_codes(), kind="department").order_by("code")


def departments() -> QuerySet[Organisation]:
    """Every department, for choosing the departments told of a deregistration."""
    return Organisation.objects.filter(kind="department").order_by("code")


def is_authority(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.code in authority_codes()


def scope_terms() -> QuerySet[ScopeTerm]:
    return ScopeTerm.objects.order_by("code")


def scope_terms_by_code(codes) -> dict[str, ScopeTerm]:
    return {t.code: t for t in ScopeTerm.objects.filter(code__in=list(codes))}


def scope_text(codes) -> str:
    terms = scope_terms_by_code(codes)
    return "；".join(terms[c].text for c in codes if c in terms)


# ---- applications -----------------------------------------------------------------------------------------

def _applications() -> QuerySet[Application]:
    return Application.objects.select_related("authority", "applicant", "district", "industry", "custodian",
                                              "enterprise", "organisation")


def application_by_id(pk) -> Application | None:
    try:
        return _applications().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def applications_of(actor: Actor) -> QuerySet[Application]:
    """The applications this person made, and those of the enterprise they act for."""
    if actor.user is None:
        return Application.objects.none()
    condition = Q(applicant=actor.user)
    if actor.organisation is not None and actor.organisation.kind == "enterprise":
        condition |= Q(organisation=actor.organisation)
    return _applications().filter(condition).prefetch_related("shareholders", "officers")


def review_queue(department: Organisation | None, *, state: str = "") -> QuerySet[Application]:
    if department is None:
        return Application.objects.none()
    queue = _applications().filter(authority=department).exclude(state=ApplicationState.DRAFT)
    if state:
        queue = queue.filter(state=state)
    return queue.prefetch_related("shareholders", "officers").order_by("decision_due", "corrections_due",
                                                                       "submitted_at", "id")


# ---- licences ---------------------------------------------------------------------------------------------

def licence_by_token(token: str) -> Licence | None:
    return Licence.objects.filter(token=(token or "")[:32]).select_related("enterprise").first()


def current_licence(enterprise) -> Licence | None:
    return Licence.objects.filter(enterprise=enterprise, superseded_at__isnull=True).order_by("-issued_at").first()


def licences_of(enterprise) -> QuerySet[Licence]:
    return Licence.objects.filter(enterprise=enterprise).order_by("-issued_at", "-id")


# ---- deregistration ---------------------------------------------------------------------------------------

def deregistration_by_id(pk) -> Deregistration | None:
    try:
        return (Deregistration.objects.select_related("enterprise", "authority", "organisation")
                .filter(pk=int(pk)).first())
    except (TypeError, ValueError):
        return None


def notices_in_progress(on: datetime.date | None = None) -> QuerySet[Deregistration]:
    on = on or today()
    return (Deregistration.objects.select_related("enterprise").filter(
        state=DeregistrationState.NOTICE, is_public=True, notice_start__lte=on, notice_end__gte=on)
        .order_by("notice_end", "id"))


def open_deregistration(enterprise) -> Deregistration | None:
    return Deregistration.objects.filter(
        enterprise=enterprise, state__in=[DeregistrationState.NOTICE, DeregistrationState.APPLIED]).first()


def deregistrations_for_authority(department: Organisation | None) -> QuerySet[Deregistration]:
    if department is None:
        return Deregistration.objects.none()
    return Deregistration.objects.select_related("enterprise").filter(authority=department).order_by(
        "state", "apply_by", "id")


def bars_in_force(enterprise, on: datetime.date) -> QuerySet[RegistrationBar]:
    return RegistrationBar.objects.filter(enterprise=enterprise, since__lte=on).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))


# ---- cluster registration ---------------------------------------------------------------------------------

def custodian_by_id(pk) -> Custodian | None:
    try:
        return Custodian.objects.select_related("organisation", "enterprise", "authority").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def approved_custodians() -> QuerySet[Custodian]:
    return Custodian.objects.select_related("organisation").filter(state=CustodianState.APPROVED).order_by("id")


def custodians_of(organisation: Organisation | None) -> QuerySet[Custodian]:
    if organisation is None:
        return Custodian.objects.none()
    return Custodian.objects.filter(organisation=organisation)


def custodians_for_authority(department: Organisation | None) -> QuerySet[Custodian]:
    if department is None:
        return Custodian.objects.none()
    return Custodian.objects.select_related("organisation").filter(authority=department)


def hosted_at(custodian: Custodian, on: datetime.date | None = None) -> QuerySet[HostingContract]:
    """The firms hosted at the custodian's address on a day (contracts in force)."""
    on = on or today()
    return (HostingContract.objects.select_related("enterprise")
            .filter(custodian=custodian, starts_on__lte=on, ends_on__gte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)).order_by("enterprise__name"))


def firms_at_address(address: str):
    """Every registered firm whose address is this one (一址多照), operating first."""
    from shuangchuang.registry.models import Enterprise

    return Enterprise.objects.filter(address=address).order_by("status", "name")
