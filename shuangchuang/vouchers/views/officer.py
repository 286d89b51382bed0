"""The officer's pages: their own schemes, each with its dashboard (budget, issued, redeemed by category and
district), queues, CSV export, and the review pages of registrations, applications and redemptions."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.vouchers import selectors
from shuangchuang.registry.models import District
from shuangchuang.vouchers.forms import (
    BudgetForm,
    BudgetReduceForm,
    SchemeChangeForm,
    SchemeCloseForm,
    RegistrationDecisionForm,
    SchemeForm,
    TieForm,
    TransitionForm,
    to_fen,
)
from shuangchuang.vouchers.models import Application, ProviderRegistration, Redemption
from shuangchuang.vouchers.permissions import can_manage_scheme
from shuangchuang.vouchers.services import (
    application_transition,
    application_transitions_for,
    provider_registration_decide,
    redemption_transition,
    redemption_transitions_for,
    scheme_budget_add,
    scheme_budget_reduce,
    scheme_change,
    scheme_close,
    scheme_create,
    tie_record,
    voucher_balance_fen,
)
from shuangchuang.vouchers.services.common import today
from shuangchuang.vouchers.views.common import forbidden, show_error


def _officer(request):
    if request.actor.department is None:
        return forbidden(request, _("This page is for department officers."))
    return None


def manage(request):
    refusal = _officer(request)
    if refusal:
        return refusal
    return render(request, "vouchers/manage.html", {"schemes": selectors.schemes_of(request.actor.department)})


def scheme_new(request):
    refusal = _officer(request)
    if refusal:
        return refusal
    districts = District.objects.order_by("key")
    form = SchemeForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        district_key = data.pop("district")
        try:
            scheme = scheme_create(actor=request.actor, department=request.actor.department,
                                   district=districts.filter(key=district_key).first() if district_key else None,
                                   **data)
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Scheme created. Add its budget for the year."))
            return redirect("vouchers:dashboard", scheme.code)
    return render(request, "vouchers/scheme_form.html", {"form": form})


def _own_scheme(request, code: str):
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        raise Http404
    allowed, reason = can_manage_scheme(request.actor, scheme)
    return scheme, (None if allowed else forbidden(request, reason))


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year


def scheme_dashboard(request, code: str):
    scheme, refusal = _own_scheme(request, code)
    if refusal:
        return refusal
    year = _year(request)
    return render(request, "vouchers/dashboard.html", {
        "scheme": scheme, "data": selectors.scheme_dashboard(scheme, year), "queues": selectors.scheme_queues(scheme),
        "year": year, "budget_form": BudgetForm(initial={"year": year}), "tie_form": TieForm(),
        "reduce_form": BudgetReduceForm(initial={"year": year}, prefix="reduce"),
        "change_form": SchemeChangeForm(prefix="change", initial={
            "rule": scheme.rule, "parameters": "\n".join(f"{k} = {v}" for k, v in scheme.parameters.items())}),
        "close_form": SchemeCloseForm(prefix="close")})


def scheme_export(request, code: str):
    scheme, refusal = _own_scheme(request, code)
    if refusal:
        return refusal
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{scheme.code}-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Voucher number"), _("Holder"), _("USCC"), _("Applicant"), _("District"), _("Issued on"),
                     _("Valid until"), _("Face value (yuan)"), _("Redeemed (yuan)"), _("Balance (yuan)"), _("State")])
    for row in selectors.export_rows(scheme, year):
        writer.writerow(row)
    return response


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


def _dashboard_form(request, code: str, form_class, act, success, *, prefix=None):
    """A form posted from the scheme dashboard: the officer's own scheme, the form validated, one service called
    (`act(scheme, cleaned_data)`), its outcome or the form's errors as a message, back to the dashboard."""
    scheme, refusal = _own_scheme(request, code)
    if refusal:
        return refusal
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(scheme, form.cleaned_data)
            messages.success(request, success)
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        _form_errors(request, form)
    return redirect("vouchers:dashboard", code)


@require_POST
def scheme_budget(request, code: str):
    return _dashboard_form(request, code, BudgetForm, lambda scheme, data: scheme_budget_add(
        actor=request.actor, scheme=scheme, year=data["year"], amount_fen=to_fen(data["amount"]), note=data["note"]),
        _("The budget is added."))


@require_POST
def scheme_budget_reduce_view(request, code: str):
    return _dashboard_form(request, code, BudgetReduceForm, lambda scheme, data: scheme_budget_reduce(
        actor=request.actor, scheme=scheme, year=data["year"], amount_fen=to_fen(data["amount"]), note=data["note"]),
        _("The budget is reduced."), prefix="reduce")


@require_POST
def scheme_change_view(request, code: str):
    return _dashboard_form(request, code, SchemeChangeForm,
                           lambda scheme, data: scheme_change(actor=request.actor, scheme=scheme, **data),
                           _("The scheme is changed."), prefix="change")


@require_POST
def scheme_close_view(request, code: str):
    return _dashboard_form(request, code, SchemeCloseForm,
                           lambda scheme, data: scheme_close(actor=request.actor, scheme=scheme, note=data["note"]),
                           _("The scheme is closed to new applications; issued vouchers run to expiry."),
                           prefix="close")


@require_POST
def scheme_tie(request, code: str):
    return _dashboard_form(request, code, TieForm,
                           lambda scheme, data: tie_record(actor=request.actor, scheme=scheme, **data),
                           _("The tie is recorded; contracts between these parties are refused."))


def application_review(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("scheme", "scheme__department",
                                                                        "organisation", "enterprise"), pk=pk)
    allowed, reason = can_manage_scheme(request.actor, application.scheme)
    if not allowed:
        return forbidden(request, reason)
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application_transition(actor=request.actor, application=application, transition=data["transition"],
                                   note=data["note"], amount_fen=to_fen(data["amount"]),
                                   valid_until=data["valid_until"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
            return redirect("vouchers:application_review", pk)
    voucher = getattr(application, "voucher", None) if application.state == "issued" else None
    return render(request, "vouchers/application_review.html", {
        "application": application, "steps": application.steps.all(), "form": form, "voucher": voucher,
        "balance": voucher_balance_fen(voucher) if voucher else None,
        "transitions": [t for t in application_transitions_for(request.actor, application) if t.by == "department"],
    })


def redemption_review(request, pk: int):
    redemption = get_object_or_404(Redemption.objects.select_related(
        "contract", "contract__registration", "voucher", "voucher__application", "voucher__application__scheme",
        "provider", "batch"), pk=pk)
    allowed, reason = can_manage_scheme(request.actor, redemption.voucher.application.scheme)
    if not allowed:
        return forbidden(request, reason)
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            redemption_transition(actor=request.actor, redemption=redemption,
                                  transition=form.cleaned_data["transition"], note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
            return redirect("vouchers:redemption_review", pk)
    return render(request, "vouchers/redemption_review.html", {
        "redemption": redemption, "steps": redemption.steps.all(), "documents": redemption.documents.all(),
        "transitions": redemption_transitions_for(request.actor, redemption), "form": form,
    })


def registration_review(request, pk: int):
    registration = get_object_or_404(ProviderRegistration.objects.select_related("scheme", "scheme__department",
                                                                                 "provider"), pk=pk)
    allowed, reason = can_manage_scheme(request.actor, registration.scheme)
    if not allowed:
        return forbidden(request, reason)
    return render(request, "vouchers/registration_review.html", {"registration": registration,
                                                                 "services": registration.services.all()})


@require_POST
def registration_decide(request, pk: int):
    registration = get_object_or_404(ProviderRegistration.objects.select_related("scheme"), pk=pk)
    form = RegistrationDecisionForm(request.POST)
    if form.is_valid():
        try:
            provider_registration_decide(actor=request.actor, registration=registration,
                                         approve=form.cleaned_data["approve"] == "yes", note=form.cleaned_data["note"])
            messages.success(request, _("Done."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("vouchers:registration_review", pk)
