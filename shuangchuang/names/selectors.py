"""Reads of the names module."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.names.models import InvestmentRelation, NameReservation, ReservationStatus
from shuangchuang.registry.models import Enterprise


def active_reservation_for(*, name: str, authority: Organisation | None = None) -> NameReservation | None:
    """The reservation in force for exactly this name (as reserved), if any."""
    rows = NameReservation.objects.filter(name=(name or "").strip(), status=ReservationStatus.RESERVED,
                                          expires_at__gte=timezone.now())
    if authority is not None:
        rows = rows.filter(registration_authority=authority)
    return rows.select_related("registration_authority", "industry").first()


def reservations_of(*, actor: Actor) -> QuerySet[NameReservation]:
    """The reservations the actor holds: their own (acting for themselves) or their enterprise's."""
    if actor.user is None:
        return NameReservation.objects.none()
    rows = NameReservation.objects.select_related("registration_authority", "industry", "consumed_by")
    if actor.organisation is None:
        return rows.filter(reserved_by=actor.user, reserved_for__isnull=True)
    return rows.filter(reserved_for=actor.organisation)


def reservation_by_id(pk: int) -> NameReservation | None:
    return NameReservation.objects.select_related("registration_authority", "industry", "reserved_by").filter(
        pk=pk).first()


def enterprises_by_uscc(usccs) -> dict[str, Enterprise]:
    codes = [c.strip().upper() for c in usccs if c and c.strip()]
    return {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}


def related_enterprise_ids(investor_ids) -> frozenset[int]:
    """The declared investors and every enterprise with a direct investment relation to one of them (its investors
    and investees): such firms may share a trade name (Art 17)."""
    ids = {int(i) for i in investor_ids}
    if not ids:
        return frozenset()
    pairs = InvestmentRelation.objects.filter(Q(investor_id__in=ids) | Q(investee_id__in=ids)).values_list(
        "investor_id", "investee_id")
    for a, b in pairs:
        ids.update((a, b))
    return frozenset(ids)


def default_authority() -> Organisation | None:
    """The registration authority names are checked for when none is given (settings.NAMES_DEFAULT_AUTHORITY,
    the city's market-supervision authority by default)."""
    from django.conf import settings

    code = getattr(settings, "NAMES_DEFAULT_AUTHORITY", "SZ-MQSA")
    return Organisation.objects.filter(code=code).first()


def authority_by_code(code: str) -> Organisation | None:
    return Organisation.objects.departments().filter(code=code).first()
