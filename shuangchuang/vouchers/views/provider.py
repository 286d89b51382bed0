"""The provider's pages: registrations (入库) with services and prices, starting a contract from a voucher's QR
code, requesting redemption."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.vouchers import selectors
from django.views.decorators.http import require_POST

from shuangchuang.vouchers.forms import ContractForm, RedeemForm, RegisterForm, ServiceForm, to_fen
from shuangchuang.vouchers.models import Contract, ProviderRegistration
from shuangchuang.vouchers.permissions import can_act_for_provider, can_register_provider
from shuangchuang.vouchers.services import (
    contract_propose,
    provider_register,
    provider_service_add,
    redemption_request,
)
from shuangchuang.vouchers.views.common import forbidden, login_first, show_error


def home(request):
    actor = request.actor
    if actor.user is None:
        return login_first(request)
    org = actor.organisation
    return render(request, "vouchers/provider.html", {
        "registrations": selectors.registrations_of(org) if org else [],
        "contracts": selectors.contracts_for(actor).filter(provider=org)[:100] if org else [],
        "redemptions": selectors.redemptions_for(actor).filter(provider=org)[:100] if org else [],
        "schemes": selectors.schemes_public(),
        "may_register": can_register_provider(actor)[0], "service_form": ServiceForm(),
    })


def register(request, code: str):
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        return forbidden(request, _("There is no such scheme."))
    allowed, reason = can_register_provider(request.actor)
    if not allowed:
        return forbidden(request, reason)
    form = RegisterForm(request.POST or None, categories=scheme.categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider_register(actor=request.actor, scheme=scheme, category=data["category"], year=data["year"],
                              description=data["description"],
                              services=[{"name": data["service_name"], "price_fen": to_fen(data["service_price"]),
                                         "unit": data["service_unit"]}])
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Registration sent to %(department)s.") % {"department": scheme.department})
            return redirect("vouchers:provider")
    return render(request, "vouchers/register.html", {"scheme": scheme, "form": form})


@require_POST
def service_add(request, pk: int):
    registration = get_object_or_404(ProviderRegistration.objects.select_related("scheme", "provider"), pk=pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            provider_service_add(actor=request.actor, registration=registration, name=form.cleaned_data["name"],
                                 price_fen=to_fen(form.cleaned_data["price"]), unit=form.cleaned_data["unit"])
            messages.success(request, _("Service added to the catalogue."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("vouchers:provider")


def contract_new(request):
    """The page a provider's phone opens from the voucher's QR code."""
    actor = request.actor
    if actor.user is None:
        return login_first(request)
    if actor.organisation is None or not can_act_for_provider(actor, actor.organisation)[0]:
        return forbidden(request, _("Act for the provider that signed the contract."))
    form = ContractForm(request.POST or None, request.FILES or None,
                        initial={"voucher": request.GET.get("voucher", "")[:16]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = contract_propose(actor=actor, voucher_code=data["voucher"], category=data["category"],
                                        number=data["number"], title=data["title"], amount_fen=to_fen(data["amount"]),
                                        signed_on=data["signed_on"], documents={"contract": [data["contract"]]})
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Contract recorded; the holder is asked to confirm it."))
            return redirect("vouchers:contract", contract.pk)
    return render(request, "vouchers/contract_new.html", {"form": form})


def redeem(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related(
        "voucher__scheme_year", "voucher__application__scheme__department", "provider", "registration"), pk=pk)
    allowed, reason = can_act_for_provider(request.actor, contract.provider)
    if not allowed:
        return forbidden(request, reason)
    form = RedeemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            redemption = redemption_request(
                actor=request.actor, contract=contract, idempotency_key=data["idempotency_key"],
                holder_paid_fen=to_fen(data["holder_paid"]), service_done_on=data["service_done_on"],
                documents={"holder_payment": [data["holder_payment"]], "service": [data["service"]]})
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Redemption requested."))
            return redirect("vouchers:redemption", redemption.pk)
    return render(request, "vouchers/redeem.html", {"contract": contract, "form": form})
