"""Name reservations (Art 18): reserve a name that passed the check, consume it at establishment, release it,
expire it (a daily scheduled job)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.models import Organisation
from shuangchuang.core.services import notification_send
from shuangchuang.credit.normalise import clean
from shuangchuang.names import periods
from shuangchuang.names.checker import IDENTICAL, INVALID, SIMILAR, check_name
from shuangchuang.names.index import index_enterprise, insert_rows, reservation_row
from shuangchuang.names.models import IndexSource, NameIndexEntry, NameReservation, ReservationStatus
from shuangchuang.names.permissions import (
    can_consume_reservation,
    can_release_reservation,
    can_reserve_name,
    can_run_jobs,
)
from shuangchuang.names.services.check import resolve_inputs
from shuangchuang.registry.models import Enterprise, IndustryDivision


def reservation_period(*, prior_approval: bool, on: datetime.date) -> periods.Period:
    key = periods.RESERVATION_PRIOR_APPROVAL if prior_approval else periods.RESERVATION
    return periods.period(key, on=on)


def name_reserve(*, actor: Actor, name: str, legal_form: str, registration_authority: Organisation | None,
                 industry_code: str | None = None, acknowledge_similar: bool = False, prior_approval: bool = False,
                 investor_usccs=(), now: datetime.datetime | None = None) -> NameReservation:
    """Reserve a name after checking it: an invalid or identical name is refused; a similar one needs
    `acknowledge_similar` (the applicant bears the liability, Art 16). Held for the period of the day
    (names.periods): 2 months, 1 year with prior approval."""
    require(can_reserve_name(actor))
    now = now or timezone.now()
    today = timezone.localdate(now)
    name, authority, industry_code, related = resolve_inputs(
        name=name, legal_form=legal_form, registration_authority=registration_authority,
        industry_code=industry_code, investor_usccs=investor_usccs)
    period = reservation_period(prior_approval=prior_approval, on=today)
    with transaction.atomic():
        # One reservation at a time per authority: two applicants cannot both take the same free name.
        Organisation.objects.select_for_update().filter(pk=authority.pk).first()
        result = check_name(name=name, legal_form=legal_form, authority=authority, industry_code=industry_code,
                            investor_ids=related, on=today)
        if result.verdict == INVALID:
            first = result.issues_of(INVALID)[0]
            raise ServiceError("name_invalid", first.message, field="name")
        if result.verdict == IDENTICAL:
            first = result.issues_of(IDENTICAL)[0]
            raise Conflict("name_identical", first.message)
        similar = result.issues_of(SIMILAR)
        if similar and not acknowledge_similar:
            raise ServiceError("similar_not_acknowledged", _("The name is similar to %(name)s; confirm that you "
                                                            "have read the similar names to reserve it.")
                               % {"name": similar[0].conflict}, field="acknowledge_similar")
        expires_on = periods.add_months(today, period.months)
        local_now = timezone.localtime(now)
        expires_at = local_now.replace(year=expires_on.year, month=expires_on.month, day=expires_on.day)
        parsed = result.parsed
        reservation = NameReservation.objects.create(
            name=name, region=parsed["region"] or "", trade_name=parsed["trade_name"] or "",
            industry_wording=parsed["industry"] or "", organisation_form=parsed["form"] or "",
            legal_form=legal_form,
            industry=IndustryDivision.objects.get(code=industry_code) if industry_code else None,
            registration_authority=authority, reserved_by=actor.user if actor.user is not None else None,
            reserved_for=actor.organisation, reserved_at=now, expires_at=expires_at, prior_approval=prior_approval,
            similar_acknowledged=[i.as_dict() for i in similar], investors=list(investor_usccs),
            period_source=period.source,
        )
        insert_rows([reservation_row(reservation, now)])
        audit_record(actor=actor, verb="names.name_reserved", obj=reservation, department=authority, params={
            "name": name, "legal_form": legal_form, "industry_code": industry_code, "months": period.months,
            "source": period.source, "expires_at": expires_at.isoformat(), "prior_approval": prior_approval,
            "similar_acknowledged": [i.conflict for i in similar],
        })
    return reservation


def _drop_from_index(reservation: NameReservation) -> None:
    NameIndexEntry.objects.filter(source=IndexSource.RESERVATION, source_id=reservation.pk).delete()


def _locked(reservation: NameReservation) -> NameReservation:
    return NameReservation.objects.select_for_update().get(pk=reservation.pk)


def name_reservation_consume(*, actor: Actor, reservation: NameReservation, enterprise: Enterprise,
                             now: datetime.datetime | None = None) -> NameReservation:
    """Use a reservation for the enterprise established with its name (called by the registration module when
    the establishment is approved). The enterprise's name enters the index as a registered name."""
    require(can_consume_reservation(actor, reservation))
    now = now or timezone.now()
    with transaction.atomic():
        reservation = _locked(reservation)
        if reservation.status != ReservationStatus.RESERVED:
            raise Conflict("reservation_not_active", _("The reservation of %(name)s is %(status)s.")
                           % {"name": reservation.name, "status": reservation.get_status_display()})
        if reservation.expires_at < now:
            raise Conflict("reservation_expired", _("The reservation of %(name)s expired on %(date)s; reserve the "
                                                   "name again.") % {"name": reservation.name,
                                                                     "date": timezone.localtime(
                                                                         reservation.expires_at).date()})
        if clean(enterprise.name) != clean(reservation.name):
            raise Conflict("name_differs", _("The enterprise's name %(enterprise)s is not the reserved name "
                                             "%(name)s.") % {"enterprise": enterprise.name, "name": reservation.name})
        reservation.status = ReservationStatus.CONSUMED
        reservation.consumed_by = enterprise
        reservation.closed_at = now
        reservation.save(update_fields=["status", "consumed_by", "closed_at"])
        _drop_from_index(reservation)
        index_enterprise(enterprise)
        audit_record(actor=actor, verb="names.reservation_consumed", obj=reservation,
                     department=reservation.registration_authority,
                     params={"enterprise": enterprise.uscc, "name": reservation.name})
    return reservation


def name_reservation_release(*, actor: Actor, reservation: NameReservation) -> NameReservation:
    """Give a reserved name up before it expires; later checks no longer see it."""
    require(can_release_reservation(actor, reservation))
    with transaction.atomic():
        reservation = _locked(reservation)
        if reservation.status != ReservationStatus.RESERVED:
            raise Conflict("reservation_not_active", _("The reservation of %(name)s is %(status)s.")
                           % {"name": reservation.name, "status": reservation.get_status_display()})
        reservation.status = ReservationStatus.RELEASED
        reservation.closed_at = timezone.now()
        reservation.save(update_fields=["status", "closed_at"])
        _drop_from_index(reservation)
        audit_record(actor=actor, verb="names.reservation_released", obj=reservation,
                     department=reservation.registration_authority, params={"name": reservation.name})
    return reservation


def name_reservations_expire(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """The daily job: reservations past their expiry become expired, leave the index, and their holders are told.
    Returns how many expired."""
    require(can_run_jobs(actor))
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        rows = list(NameReservation.objects.select_for_update(of=("self",)).filter(
            status=ReservationStatus.RESERVED, expires_at__lt=now).select_related(
            "reserved_by", "reserved_for", "registration_authority"))
        for reservation in rows:
            reservation.status = ReservationStatus.EXPIRED
            reservation.closed_at = now
        NameReservation.objects.bulk_update(rows, ["status", "closed_at"])
        NameIndexEntry.objects.filter(source=IndexSource.RESERVATION, source_id__in=[r.pk for r in rows]).delete()
        for reservation in rows:
            audit_record(actor=actor, verb="names.reservation_expired", obj=reservation,
                         department=reservation.registration_authority,
                         params={"name": reservation.name, "expires_at": reservation.expires_at.isoformat()})
            if reservation.reserved_by is None:
                continue
            notification_send(actor=actor, recipients=[reservation.reserved_by],
                              subject=_("Your reservation of %(name)s has expired") % {"name": reservation.name},
                              body=_("The name is free again. Check and reserve it again if you still need it."),
                              organisation=reservation.reserved_for, email=True)
        expired = len(rows)
    return expired
