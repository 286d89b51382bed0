"""Innovative industrial space allocation (创新型产业用房, POLICY-FACTS §12): lease offers after ranking.

The offer workflow is ONE table (OFFER_WORKFLOW: transition → source states, target, who) and ONE function
(`lease_offer_transition`). An offer goes to a ranked application (awarded first; the ranked applications not
funded form the waiting list). The applicant accepts or declines by the deadline; a declined offer, or one not
answered by the deadline (lapsed, by the daily job), passes with the same terms to the next ranked application
of the call that has no offer yet. Each transition is audited in its transaction; notifications go after commit.

Values the facts leave open (GAP) are never invented: the discount is the call's effective-dated parameter
(`Call.rate_parameter`) on the offer date, or the officer enters it; the lease term is always entered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.models import Application, LeaseOffer, OfferState, State
from shuangchuang.programmes.permissions import ENTERPRISE_FILERS, can_act_as_applicant, can_officiate
from shuangchuang.programmes.services import checks
from shuangchuang.programmes.services.common import add_months, notify, parameter

OFFERABLE = frozenset({State.REVIEWED, State.PROPOSED, State.PUBLICITY, State.AWARDED})
DISCOUNT_PARAMETER, TERM_PARAMETER = "space.rent_discount", "space.lease_term_years"
APPLICANT, OFFICER, SYSTEM_OR_OFFICER = "applicant", "officer", "system"


@dataclass(frozen=True)
class OfferTransition:
    name: str
    label: str
    target: str
    by: str
    note_required: bool = False
    passes_on: bool = False


OFFER_WORKFLOW: dict[str, OfferTransition] = {t.name: t for t in (
    OfferTransition("accept", gettext_lazy("Accept the lease offer"), OfferState.ACCEPTED, APPLICANT),
    OfferTransition("decline", gettext_lazy("Decline the lease offer"), OfferState.DECLINED, APPLICANT,
                    note_required=True, passes_on=True),
    OfferTransition("lapse", gettext_lazy("Lapse (no answer by the deadline)"), OfferState.LAPSED, SYSTEM_OR_OFFICER,
                    passes_on=True),
    OfferTransition("withdraw", gettext_lazy("Withdraw the offer"), OfferState.WITHDRAWN, OFFICER,
                    note_required=True),
)}


def _q(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ServiceError("invalid_number", _("Give a number."), field=field) from None
    if not number.is_finite():
        raise ServiceError("invalid_number", _("Give a number."), field=field)
    return number


def offer_discount(application: Application, discount, on: datetime.date) -> tuple[Decimal, str]:
    """(discount, where it comes from): the officer's entry, else the parameter space.rent_discount on the date."""
    if discount not in (None, ""):
        value = _decimal(discount, "discount")
        source = _("entered by the officer")
    else:
        value = parameter(DISCOUNT_PARAMETER, on)
        if value is None:
            raise ServiceError("discount_required", _(
                "The policy does not fix the rent discount on this date; enter it (a share such as 0.3)."),
                field="discount")
        value, source = Decimal(value), _("parameter %(key)s on %(on)s") % {"key": DISCOUNT_PARAMETER,
                                                                            "on": on.isoformat()}
    if not Decimal(0) <= value < Decimal(1):
        raise ServiceError("invalid_discount", _("The discount is a share from 0 up to (not including) 1."),
                           field="discount")
    return value, source


def rent_of(reference_rent_fen: int, discount: Decimal, area_m2: Decimal) -> tuple[int, int]:
    """(rent per m² per month, rent per month) in fen, each rounded half up."""
    per_m2 = _q(Decimal(reference_rent_fen) * (Decimal(1) - discount))
    return per_m2, _q(Decimal(per_m2) * area_m2)


def _has_offer(application: Application) -> bool:
    return application.lease_offers.filter(state__in=[OfferState.OFFERED, OfferState.ACCEPTED]).exists()


def next_ranked(application: Application, exclude=()) -> Application | None:
    """The best ranked application of the call that never had an offer (the waiting list's head)."""
    return (Application.objects.filter(call_id=application.call_id, state__in=OFFERABLE, rank__isnull=False,
                                       lease_offers__isnull=True)
            .exclude(pk=application.pk).exclude(pk__in=list(exclude)).select_related("call__programme__department", "enterprise", "organisation")
            .order_by("rank", "pk").first())


def lease_offer_make(*, actor: Actor, application: Application, space: str, building: str, area_m2,
                     reference_rent_fen: int, term_starts_on: datetime.date, term_ends_on: datetime.date | None,
                     respond_by: datetime.date, discount=None, passed_from: LeaseOffer | None = None) -> LeaseOffer:
    """Offer a lease of a space to a ranked application (an officer of the programme's department). The
    applicant is screened for special funds first (the evidence is kept on the offer); an offer whose discount
    would take the enterprise over the programme's yearly cap is refused (Conflict, code over_annual_cap)."""
    require(can_officiate(actor, application))
    if application.call.mechanism != "space_lease" or application.enterprise_id is None:
        raise Conflict("no_leases", _("This call does not allocate space."))
    if application.state not in OFFERABLE or application.rank is None:
        raise Conflict("not_ranked", _("A lease is offered to a ranked application (reviewed, proposed or awarded)."))
    space, building = (space or "").strip(), (building or "").strip()
    if not space or not building:
        raise ServiceError("space_required", _("Name the building and the space."), field="space")
    area = _decimal(area_m2, "area_m2")
    if area <= 0 or area > Decimal("100000"):
        raise ServiceError("invalid_area", _("Give the area in m², more than zero."), field="area_m2")
    if isinstance(reference_rent_fen, bool) or not isinstance(reference_rent_fen, int) or reference_rent_fen <= 0:
        raise ServiceError("invalid_rent", _("Give the reference rent per m² per month."), field="reference_rent_fen")
    today = timezone.localdate()
    if term_ends_on is None and isinstance(term_starts_on, datetime.date):
        years = parameter(TERM_PARAMETER, today)
        if years is None:
            raise ServiceError("term_required", _("The policy does not fix the lease term on this date; enter the "
                                                  "end of the lease."), field="term_ends_on")
        term_ends_on = add_months(term_starts_on, 12 * int(years)) - datetime.timedelta(days=1)
    for value, field in ((term_starts_on, "term_starts_on"), (term_ends_on, "term_ends_on"),
                         (respond_by, "respond_by")):
        if not isinstance(value, datetime.date):
            raise ServiceError("invalid_date", _("Give a date."), field=field)
    if term_ends_on <= term_starts_on:
        raise ServiceError("invalid_term", _("The lease must end after it starts."), field="term_ends_on")
    if respond_by < today:
        raise ServiceError("invalid_deadline", _("The answer deadline cannot be in the past."), field="respond_by")
    value, source = offer_discount(application, discount, today)
    per_m2, monthly = rent_of(reference_rent_fen, value, area)
    enterprise = application.enterprise
    checks.refuse_not_operating(enterprise)
    from shuangchuang.programmes.services.leases import terms_value

    value_fen, _months = terms_value(reference_rent_fen=reference_rent_fen, area_m2=area, monthly_rent_fen=monthly,
                                     starts_on=term_starts_on, ends_on=term_ends_on)
    if value_fen > 0:
        checks.refuse_discount_over_cap(application.call, enterprise, value_fen)
    outcome = checks.screen(application, enterprise, screen_rep=application.call.programme.screen_legal_representative)
    if outcome.blocked:
        raise Conflict("credit_blocked", checks.screening_message(outcome))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state not in OFFERABLE:
            raise Conflict("not_ranked", _("A lease is offered to a ranked application (reviewed, proposed or "
                                           "awarded)."))
        if _has_offer(locked):
            raise Conflict("already_offered", _("This application already has an open or accepted lease offer."))
        offer = LeaseOffer.objects.create(
            application=locked, passed_from=passed_from, space=space[:120], building=building[:200], area_m2=area,
            reference_rent_fen=reference_rent_fen, discount=value, discount_source=source[:120], rent_fen=per_m2,
            monthly_rent_fen=monthly, term_starts_on=term_starts_on, term_ends_on=term_ends_on,
            respond_by=respond_by, screening_evidence=outcome.evidence_id, made_by=actor.label)
        audit_record(actor=actor, verb="programmes.lease_offered", obj=offer, object_label=locked.reference,
                     department=application.call.programme.department,
                     params={"application": locked.pk, "space": f"{building} {space}", "area_m2": str(area),
                             "rent_fen": per_m2, "discount": str(value), "discount_source": source,
                             "term": [term_starts_on, term_ends_on], "respond_by": respond_by,
                             "passed_from": passed_from.pk if passed_from else None,
                             "screening_evidence": outcome.evidence_id})
        transaction.on_commit(lambda: notify(
            actor=actor, organisation=locked.organisation, roles=ENTERPRISE_FILERS,
            subject=_("%(ref)s: a lease offer of %(space)s, answer by %(date)s") % {
                "ref": locked.reference, "space": f"{building} {space}", "date": respond_by.isoformat()},
            url=f"/programmes/applications/{locked.pk}/"))
    return offer


def _permission(actor: Actor, offer: LeaseOffer, step: OfferTransition):
    if step.by == APPLICANT:
        return can_act_as_applicant(actor, offer.application)
    return can_officiate(actor, offer.application)


def lease_offer_transition(*, actor: Actor, offer: LeaseOffer, transition: str, note: str = "") -> LeaseOffer:
    """Accept, decline, lapse or withdraw an offer. Declined and lapsed offers pass on to the next ranked
    application with the same terms and the same answer period."""
    step = OFFER_WORKFLOW.get(transition)
    if step is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    offer = LeaseOffer.objects.select_related("application__call__programme__department",
                                              "application__organisation").get(pk=offer.pk)
    require(_permission(actor, offer, step))
    note = (note or "").strip()
    if step.note_required and not note:
        raise ServiceError("note_required", _("Write a note for the other side."), field="note")
    today = timezone.localdate()
    with transaction.atomic():
        locked = LeaseOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.state != OfferState.OFFERED:
            raise Conflict("wrong_state", _("This offer is %(state)s.") % {"state": locked.get_state_display()})
        if step.name in ("accept", "decline") and today > locked.respond_by:
            raise Conflict("deadline_passed", _("The answer was due by %(date)s.")
                           % {"date": locked.respond_by.isoformat()})
        if step.name == "lapse" and today <= locked.respond_by:
            raise Conflict("not_due", _("The offer can be answered until %(date)s.")
                           % {"date": locked.respond_by.isoformat()})
        locked.state, locked.answer_note = step.target, note[:4000]
        locked.answered_by, locked.answered_at = actor.label, timezone.now()
        locked.save()
        application = offer.application
        audit_record(actor=actor, verb=f"programmes.lease_offer_{step.name}", obj=locked,
                     object_label=application.reference, department=application.call.programme.department,
                     params={"to": step.target, "note": note[:500]})
        if step.name == "accept":  # the lease, its discount in the support ledger, the application completed
            from shuangchuang.programmes.services.leases import lease_record

            lease_record(actor=actor, offer=locked)
    # The answer stands on its own; passing on is the next step (it screens the next applicant, outside this
    # transaction, and skips one a credit list blocks).
    successor = _pass_on(locked, today) if step.passes_on else None
    _notify(actor, locked, step, successor)
    return locked


def _pass_on(offer: LeaseOffer, today: datetime.date) -> LeaseOffer | None:
    application = offer.application
    system = Actor.system("programmes")
    period = max((offer.respond_by - timezone.localdate(offer.created_at)).days, 1)
    skipped: list[int] = []
    while True:
        target = next_ranked(application, exclude=skipped)
        if target is None:
            with transaction.atomic():
                audit_record(actor=system, verb="programmes.lease_offer_unplaced", obj=offer,
                             object_label=application.reference, department=application.call.programme.department,
                             params={"space": str(offer), "skipped": skipped})
            return None
        try:
            return lease_offer_make(
                actor=system, application=target, space=offer.space, building=offer.building,
                area_m2=offer.area_m2, reference_rent_fen=offer.reference_rent_fen,
                term_starts_on=offer.term_starts_on, term_ends_on=offer.term_ends_on,
                respond_by=today + datetime.timedelta(days=period), discount=offer.discount, passed_from=offer)
        except Conflict as exc:  # blocked by a credit list, no longer operating or over the cap: the next one
            with transaction.atomic():
                audit_record(actor=system, verb="programmes.lease_offer_skipped", obj=target,
                             department=application.call.programme.department,
                             params={"offer": offer.pk, "reason": exc.message})
            skipped.append(target.pk)


def _notify(actor: Actor, offer: LeaseOffer, step: OfferTransition, successor: LeaseOffer | None) -> None:
    application = offer.application
    subject = _("%(ref)s: lease offer %(state)s") % {"ref": application.reference, "state": offer.get_state_display()}
    body = offer.answer_note
    if step.passes_on:
        body = (body + "\n" if body else "") + (
            _("Passed on to %(ref)s.") % {"ref": successor.application.reference} if successor
            else _("No ranked application is left to offer it to."))
    if step.by == APPLICANT or step.name == "lapse":
        transaction.on_commit(lambda: notify(
            actor=actor, organisation=application.call.programme.department, roles={"officer", "admin"},
            subject=subject, body=body, url=f"/programmes/manage/applications/{application.pk}/"))
    if step.by != APPLICANT:
        transaction.on_commit(lambda: notify(
            actor=actor, organisation=application.organisation, roles=ENTERPRISE_FILERS, subject=subject,
            body=body, url=f"/programmes/applications/{application.pk}/"))


def lease_offers_lapse(*, actor: Actor, today: datetime.date | None = None) -> int:
    """The daily job: offers not answered by their deadline lapse and pass on."""
    today = today or timezone.localdate()
    count = 0
    for offer in LeaseOffer.objects.filter(state=OfferState.OFFERED, respond_by__lt=today).order_by("pk"):
        try:
            lease_offer_transition(actor=actor, offer=offer, transition="lapse")
            count += 1
        except ServiceError:
            continue
    return count
