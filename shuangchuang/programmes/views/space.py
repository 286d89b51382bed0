"""Lease offers of innovative industrial space: the officer makes or withdraws an offer from the officer's
application page, or offers several spaces at once to the awarded applications in rank order from the call's
ranking page; the applicant accepts or declines it from its application page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.programmes.forms import yuan_to_fen
from shuangchuang.programmes.models import LeaseOffer
from shuangchuang.programmes.services import lease_offer_make, lease_offer_transition, lease_offers_round
from shuangchuang.programmes.views.common import forbidden, run_and_return


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _offer(pk: int, offer_id: int) -> LeaseOffer:
    offer = LeaseOffer.objects.select_related("application").filter(pk=offer_id, application__pk=pk).first()
    if offer is None:
        raise Http404
    return offer


@login_required
@require_POST
def offer_make(request, pk: int):
    from shuangchuang.programmes.selectors import calls as selectors

    application = selectors.application_detail(pk)
    if application is None:
        raise Http404
    post = request.POST
    try:
        try:
            rent = yuan_to_fen(post.get("reference_rent"))
        except Exception:
            raise ServiceError("invalid_rent", _("Give the reference rent per m² per month."),
                               field="reference_rent_fen") from None
        start = _date(post.get("term_starts_on"))
        lease_offer_make(actor=request.actor, application=application, space=post.get("space", ""),
                         building=post.get("building", ""), area_m2=post.get("area_m2", ""),
                         reference_rent_fen=rent, term_starts_on=start,
                         term_ends_on=_date(post.get("term_ends_on")) if post.get("term_ends_on") else None,
                         respond_by=_date(post.get("respond_by")), discount=post.get("discount") or None)
        messages.success(request, _("The lease offer is sent."))
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    return redirect("programmes:manage_application", pk=pk)


def _answer(request, pk: int, offer_id: int, allowed: tuple[str, ...], back: str):
    offer = _offer(pk, offer_id)
    transition = request.POST.get("transition", "")
    if transition not in allowed:
        messages.error(request, _("Unknown step."))
        return redirect(back, pk=pk)

    def run():
        lease_offer_transition(actor=request.actor, offer=offer, transition=transition,
                               note=request.POST.get("note", ""))
        return _("Done.")

    return run_and_return(request, run, back, pk)


@login_required
@require_POST
def offer_answer(request, pk: int, offer_id: int):
    """The applicant accepts or declines."""
    return _answer(request, pk, offer_id, ("accept", "decline"), "programmes:application")


@login_required
@require_POST
def offer_officer(request, pk: int, offer_id: int):
    """The officer withdraws an offer, or lapses one whose deadline has passed."""
    return _answer(request, pk, offer_id, ("withdraw", "lapse"), "programmes:manage_application")


def parse_spaces(text: str) -> list[dict]:
    """One space a line: building | space | area m² | reference rent in yuan per m² per month."""
    spaces = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 4:
            raise ServiceError("invalid_spaces", _("Line %(n)d: building | space | area | reference rent.")
                               % {"n": number}, field="spaces")
        try:
            rent = yuan_to_fen(parts[3])
        except Exception:
            raise ServiceError("invalid_rent", _("Line %(n)d: give the reference rent per m² per month.")
                               % {"n": number}, field="spaces") from None
        spaces.append({"building": parts[0], "space": parts[1], "area_m2": parts[2], "reference_rent_fen": rent})
    return spaces


@login_required
@require_POST
def offer_round(request, pk: int):
    """The officer offers the spaces entered to the awarded applications of the call in rank order."""
    from shuangchuang.programmes.selectors import calls as selectors

    call = selectors.call_detail(pk)
    if call is None:
        raise Http404
    post = request.POST
    try:
        result = lease_offers_round(
            actor=request.actor, call=call, spaces=parse_spaces(post.get("spaces", "")),
            term_starts_on=_date(post.get("term_starts_on")),
            term_ends_on=_date(post.get("term_ends_on")) if post.get("term_ends_on") else None,
            respond_by=_date(post.get("respond_by")), discount=post.get("discount") or None)
        messages.success(request, _("%(n)d lease offers sent.") % {"n": len(result.offers)})
        for application, reason in result.skipped:
            messages.warning(request, _("%(ref)s skipped: %(reason)s") % {"ref": application.reference,
                                                                         "reason": reason})
        if result.unplaced:
            messages.warning(request, _("No awarded application is waiting for: %(spaces)s.") % {
                "spaces": "; ".join(f"{s['building']} {s['space']}" for s in result.unplaced)})
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    return redirect("programmes:ranking", pk=pk)
