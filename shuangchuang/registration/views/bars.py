"""Department officers record and lift the register facts that bar simplified deregistration."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error
from shuangchuang.registration import selectors
from shuangchuang.registration.forms import BarForm
from shuangchuang.registration.models import RegistrationBar
from shuangchuang.registration.permissions import can_record_bar
from shuangchuang.registration.services import bar_lift, bar_record
from shuangchuang.registration.views.common import forbidden, not_found
from shuangchuang.registry.selectors import enterprise_by_uscc


def bars(request, uscc: str):
    allowed, reason = can_record_bar(request.actor)
    if not allowed or request.actor.is_anonymous:
        return forbidden(request, reason or _("Log in first."))
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        return not_found(request)
    form = BarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bar_record(actor=request.actor, enterprise=enterprise, kind=form.cleaned_data["kind"],
                       since=form.cleaned_data["since"], note=form.cleaned_data["note"])
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Recorded."))
            return redirect("registration:bars", uscc=enterprise.uscc)
    return render(request, "registration/bars.html", {
        "enterprise": enterprise, "form": form,
        "bars": RegistrationBar.objects.filter(enterprise=enterprise).select_related("department").order_by(
            "-since"), "today": selectors.today(),
    })


@require_POST
def bar_lift_view(request, uscc: str, pk: int):
    bar = RegistrationBar.objects.select_related("enterprise").filter(pk=pk, enterprise__uscc=uscc).first()
    if bar is None:
        return not_found(request)
    try:
        bar_lift(actor=request.actor, bar=bar, on=selectors.today())
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    return redirect("registration:bars", uscc=uscc)
