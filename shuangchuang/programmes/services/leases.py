"""Innovative industrial space (POLICY-FACTS §12) after the decision: offering the spaces to the awarded
applications in rank order, and the lease an accepted offer records.

- `lease_offers_round` (the officer's one action): the spaces entered go, one each, to the awarded applications
  of the call that never had an offer, best rank first. An applicant a credit list blocks (or no longer operating)
  is skipped with its reason and the space goes to the next. Bounded by the spaces entered; nothing is invented.
- The value of the discount is support to the enterprise, so it passes the programme's yearly cap per enterprise
  (checks.refuse_discount_over_cap): an offer whose discount would take the enterprise over the cap is not made
  (the round skips the applicant with the reason), and accepting one that now would is refused.
- `lease_record` is part of the 'accept' step of an offer (services.space, inside its transaction): the Lease with
  the offer's terms and dates; the value of the rent discount over the term — (reference rent − offered rent) ×
  area × months of the term — written to the support ledger as awarded, its source the lease; and the
  application's workflow moved to its final state through the one transition function ('lease_taken').

The term in months counts whole calendar months from the first day, and a remaining part month pro rata by its
days over the days of that calendar month (a lease of 2027-01-01 … 2029-12-31 is 36 months)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.models import Application, Call, Lease, LeaseOffer, LedgerKind, SourceKind, State
from shuangchuang.programmes.permissions import can_manage_call
from shuangchuang.programmes.services import checks
from shuangchuang.programmes.services.common import add_months

MAX_SPACES = 200


def term_months(starts_on: datetime.date, ends_on: datetime.date) -> Decimal:
    """Months from starts_on to ends_on inclusive: whole months, then the part month pro rata by its days."""
    end = ends_on + datetime.timedelta(days=1)
    months = 0
    while months < 12 * 100 and add_months(starts_on, months + 1) <= end:
        months += 1
    rest_from = add_months(starts_on, months)
    part = Decimal(0)
    if rest_from < end:
        month_days = (add_months(starts_on, months + 1) - rest_from).days
        part = Decimal((end - rest_from).days) / Decimal(month_days)
    return (Decimal(months) + part).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def terms_value(*, reference_rent_fen: int, area_m2: Decimal, monthly_rent_fen: int, starts_on: datetime.date,
                ends_on: datetime.date) -> tuple[int, Decimal]:
    """(value of the discount over the term in fen, months): the reference rent of the area less the offered
    monthly rent, times the months of the term; rounded half up to the fen."""
    months = term_months(starts_on, ends_on)
    saved = (Decimal(reference_rent_fen) * Decimal(area_m2) - Decimal(monthly_rent_fen)) * months
    return max(int(saved.quantize(Decimal(1), rounding=ROUND_HALF_UP)), 0), months


def discount_value(offer: LeaseOffer) -> tuple[int, Decimal]:
    """terms_value of an offer."""
    return terms_value(reference_rent_fen=offer.reference_rent_fen, area_m2=offer.area_m2,
                       monthly_rent_fen=offer.monthly_rent_fen, starts_on=offer.term_starts_on,
                       ends_on=offer.term_ends_on)


def lease_record(*, actor: Actor, offer: LeaseOffer) -> Lease:
    """Part of accepting an offer (called inside its transaction, the offer locked and accepted)."""
    from shuangchuang.programmes.services.applications import application_transition
    from shuangchuang.programmes.services.ledger import support_ledger_record

    application = Application.objects.select_related(
        "call__programme__department", "call__programme__clause", "enterprise", "organisation").get(
        pk=offer.application_id)
    value, months = discount_value(offer)
    programme = application.call.programme
    if value > 0:  # the support it gives passes the yearly cap now, with what the ledger holds at acceptance
        checks.refuse_discount_over_cap(application.call, application.enterprise, value)
    lease = Lease.objects.create(
        offer=offer, application=application, enterprise=application.enterprise, space=offer.space,
        building=offer.building, area_m2=offer.area_m2, reference_rent_fen=offer.reference_rent_fen,
        discount=offer.discount, rent_fen=offer.rent_fen, monthly_rent_fen=offer.monthly_rent_fen,
        starts_on=offer.term_starts_on, ends_on=offer.term_ends_on, term_months=months,
        discount_value_fen=value, recorded_by=actor.label[:160])
    entry = None
    if value > 0:
        entry = support_ledger_record(
            actor=actor, enterprise=application.enterprise, source_kind=SourceKind.PROGRAMME,
            source_label=_("%(programme)s · rent discount, %(space)s") % {
                "programme": programme.name, "space": f"{offer.building} {offer.space}"},
            source_ref=f"programmes.lease:{lease.pk}", department=programme.department, amount_fen=value,
            kind=LedgerKind.AWARDED, occurred_on=timezone.localdate(), project_key=application.project_key,
            clause=programme.clause,
            note=_("(%(ref)s − %(rent)s fen per m² per month) × %(area)s m² × %(months)s months (%(from)s to "
                   "%(to)s); discount from %(source)s") % {
                "ref": offer.reference_rent_fen, "rent": offer.rent_fen, "area": offer.area_m2,
                "months": months.normalize(), "from": offer.term_starts_on.isoformat(),
                "to": offer.term_ends_on.isoformat(), "source": offer.discount_source})
        lease.ledger_entry = entry
        lease.save(update_fields=["ledger_entry"])
    audit_record(actor=actor, verb="programmes.lease_recorded", obj=lease, object_label=application.reference,
                 department=programme.department,
                 params={"offer": offer.pk, "term": [offer.term_starts_on, offer.term_ends_on],
                         "months": str(months), "discount_value_fen": value,
                         "ledger_entry": entry.pk if entry else None})
    if application.state == State.AWARDED:
        application_transition(actor=actor, application=application, transition="lease_taken",
                               note=_("Lease of %(space)s from %(from)s to %(to)s.") % {
                                   "space": f"{offer.building} {offer.space}",
                                   "from": offer.term_starts_on.isoformat(), "to": offer.term_ends_on.isoformat()})
    return lease


# ---- offering the spaces in rank order ----------------------------------------------------------------------------

@dataclass
class OfferRound:
    offers: list[LeaseOffer] = field(default_factory=list)
    skipped: list[tuple[Application, str]] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)


def _clean_spaces(spaces) -> list[dict]:
    from shuangchuang.programmes.services.space import _decimal

    if not isinstance(spaces, (list, tuple)) or not spaces:
        raise ServiceError("spaces_required", _("Enter at least one space to offer."), field="spaces")
    if len(spaces) > MAX_SPACES:
        raise ServiceError("too_many_spaces", _("At most %(n)d spaces at a time.") % {"n": MAX_SPACES},
                           field="spaces")
    cleaned = []
    for number, item in enumerate(spaces, start=1):
        item = item if isinstance(item, dict) else {}
        space, building = str(item.get("space") or "").strip(), str(item.get("building") or "").strip()
        rent = item.get("reference_rent_fen")
        if not space or not building:
            raise ServiceError("space_required", _("Space %(n)d: name the building and the space.") % {"n": number},
                               field="spaces")
        area = _decimal(item.get("area_m2"), "spaces")
        if area <= 0 or area > Decimal("100000"):
            raise ServiceError("invalid_area", _("Space %(n)d: give the area in m², more than zero.") % {"n": number},
                               field="spaces")
        if isinstance(rent, bool) or not isinstance(rent, int) or rent <= 0:
            raise ServiceError("invalid_rent", _("Space %(n)d: give the reference rent per m² per month.")
                               % {"n": number}, field="spaces")
        cleaned.append({"space": space[:120], "building": building[:200], "area_m2": area,
                        "reference_rent_fen": rent})
    return cleaned


def awarded_waiting(call: Call, exclude=()) -> list[Application]:
    """The awarded applications of the call that never had a lease offer, best rank first."""
    return list(Application.objects.filter(call=call, state=State.AWARDED, rank__isnull=False,
                                           lease_offers__isnull=True)
                .exclude(pk__in=list(exclude)).select_related("call__programme__department", "enterprise",
                                                              "organisation").order_by("rank", "pk"))


def lease_offers_round(*, actor: Actor, call: Call, spaces: list[dict], term_starts_on: datetime.date,
                       term_ends_on: datetime.date | None, respond_by: datetime.date, discount=None) -> OfferRound:
    """Offer each space entered to the next awarded application of the call in rank order (an officer of the
    programme's department). Each offer is made by lease_offer_make (screened, audited, notified); a refused
    applicant is skipped with the reason; spaces left when no awarded application is waiting are returned."""
    from shuangchuang.programmes.services.space import lease_offer_make, offer_discount

    require(can_manage_call(actor, call))
    if call.mechanism != "space_lease":
        raise Conflict("no_leases", _("This call does not allocate space."))
    cleaned = _clean_spaces(spaces)
    for value, name in ((term_starts_on, "term_starts_on"), (respond_by, "respond_by")):
        if not isinstance(value, datetime.date):
            raise ServiceError("invalid_date", _("Give a date."), field=name)
    if term_ends_on is not None and (not isinstance(term_ends_on, datetime.date) or term_ends_on <= term_starts_on):
        raise ServiceError("invalid_term", _("The lease must end after it starts."), field="term_ends_on")
    if respond_by < timezone.localdate():
        raise ServiceError("invalid_deadline", _("The answer deadline cannot be in the past."), field="respond_by")
    offer_discount(None, discount, timezone.localdate())  # refuses a bad or missing discount before any offer
    result = OfferRound()
    tried: set[int] = set()
    queue = awarded_waiting(call)
    for space in cleaned:
        placed = False
        while queue and not placed:
            application = queue.pop(0)
            tried.add(application.pk)
            try:
                result.offers.append(lease_offer_make(
                    actor=actor, application=application, term_starts_on=term_starts_on, term_ends_on=term_ends_on,
                    respond_by=respond_by, discount=discount, **space))
                placed = True
            except Conflict as exc:  # blocked by a credit list, no longer operating, over the cap, offered meanwhile
                result.skipped.append((application, exc.message))
        if not placed:
            result.unplaced.append(space)
    with transaction.atomic():
        audit_record(actor=actor, verb="programmes.lease_offers_round", obj=call, department=call.programme.department,
                     params={"spaces": len(cleaned), "offers": [o.pk for o in result.offers],
                             "skipped": [[a.pk, reason] for a, reason in result.skipped],
                             "unplaced": [f"{s['building']} {s['space']}" for s in result.unplaced]})
    return result
