"""Pages of the names module under /registration/names/: the live name check (anyone), reserving a name (a person
for themselves, an enterprise's legal representative or staff), my reservations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error as _show_error
from shuangchuang.names import selectors
from shuangchuang.names.forms import ReserveForm
from shuangchuang.names.permissions import can_release_reservation, can_reserve_name
from shuangchuang.names.ratelimit import check_name_rate, client_address
from shuangchuang.names.services import name_check, name_reservation_release, name_reserve


def _forbidden(request, message: str):
    return render(request, "names/forbidden.html", {"message": message}, status=403)


def check(request):
    """The name check. GET shows the form; POST (the live check sends it as the applicant types, or the button
    without JavaScript) checks and shows the result."""
    actor = request.actor
    form = ReserveForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_name_rate(actor, client_address(request))
            result = name_check(name=data["name"], legal_form=data["legal_form"],
                                industry_code=data["industry_code"] or None, investor_usccs=data["investors"])
        except ServiceError as exc:
            _show_error(request, exc, form)
            status = exc.status
    context = {"form": form, "result": result, "can_reserve": can_reserve_name(actor),
               "verdict": result.verdict if result else None}
    if request.htmx:  # htmx swaps only 2xx answers: the error is shown inside the result
        return render(request, "names/_result.html", context)
    return render(request, "names/check.html", context, status=status)


@require_POST
def reserve(request):
    actor = request.actor
    allowed, reason = can_reserve_name(actor)
    if not allowed:
        return _forbidden(request, reason)
    form = ReserveForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            reservation = name_reserve(
                actor=actor, name=data["name"], legal_form=data["legal_form"], registration_authority=None,
                industry_code=data["industry_code"] or None, acknowledge_similar=data["acknowledge_similar"],
                prior_approval=data["prior_approval"], investor_usccs=data["investors"])
        except ServiceError as exc:
            messages.error(request, exc.message)  # the box and the name are in the result, not the form
            status = exc.status
        else:
            messages.success(request, _("%(name)s is reserved for you until %(date)s.") % {
                "name": reservation.name, "date": reservation.expires_at.date().isoformat()})
            return redirect("names:mine")
    result = None
    if form.is_valid():
        try:
            result = name_check(name=form.cleaned_data["name"], legal_form=form.cleaned_data["legal_form"],
                                industry_code=form.cleaned_data["industry_code"] or None,
                                investor_usccs=form.cleaned_data["investors"])
        except ServiceError:
            result = None
    return render(request, "names/check.html", {"form": form, "result": result, "can_reserve": (allowed, reason),
                                                "verdict": result.verdict if result else None}, status=status)


@login_required
def mine(request):
    actor = request.actor
    return render(request, "names/mine.html", {
        "reservations": selectors.reservations_of(actor=actor)[:200],
        "acting_for": actor.organisation,
    })


@require_POST
@login_required
def release(request, reservation_id: int):
    reservation = selectors.reservation_by_id(reservation_id)
    if reservation is None:
        raise Http404
    allowed, reason = can_release_reservation(request.actor, reservation)
    if not allowed:
        return _forbidden(request, reason)
    try:
        name_reservation_release(actor=request.actor, reservation=reservation)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The reservation of %(name)s is released.") % {"name": reservation.name})
    return redirect("names:mine")
