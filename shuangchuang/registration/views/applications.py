"""Pages of establishment and change applications: start, fill in, detail with completeness and deadlines,
the officer's queue and review."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error
from shuangchuang.registration import checks, names_bridge, selectors
from shuangchuang.registration.forms import (
    ApplicationForm,
    OfficerFormSet,
    ShareholderFormSet,
    TransitionForm,
    application_data,
)
from shuangchuang.registration.models import ApplicationState
from shuangchuang.registration.permissions import (
    can_apply_establishment,
    can_apply_for_enterprise,
    can_edit_application,
    can_view_application,
)
from shuangchuang.registration.services import (
    application_transition,
    application_update,
    change_apply,
    establishment_apply,
    transitions_for,
)
from shuangchuang.registration.views.common import forbidden, not_found
from shuangchuang.registry.models import District, IndustryDivision
from shuangchuang.registry.selectors import enterprise_for_organisation


def _form_kwargs(request, change: bool = False) -> dict:
    return {
        "reservations": names_bridge.reservations_of(request.actor.user), "districts": District.objects.all(),
        "custodians": selectors.approved_custodians(), "industries": IndustryDivision.objects.all(),
        "terms": selectors.scope_terms(), "change": change,
    }


def _yuan(fen):
    return None if fen is None else Decimal(fen) / 100


def _initial(application) -> tuple[dict, list, list]:
    initial = {
        "reservation_id": application.reservation_id, "name": application.name,
        "legal_form": application.legal_form, "district": application.district.key if application.district_id else "",
        "cluster": application.custodian_id, "hosting_start": application.hosting_start,
        "hosting_end": application.hosting_end, "address": "" if application.custodian_id else application.address,
        "registered_capital": _yuan(application.registered_capital_fen), "industry": application.industry_id or "",
        "scope_terms": application.scope_terms, "legal_rep_name": application.legal_rep_name,
        "legal_rep_id_number": application.legal_rep_id_number, "items": [c["item"] for c in application.changes],
    }
    holders = [{"kind": h.kind, "name": h.name, "identifier": h.id_number or h.uscc,
                "subscribed": _yuan(h.subscribed_capital_fen)} for h in application.shareholders.all()]
    officers = [{"position": o.position, "name": o.name, "id_number": o.id_number} for o in application.officers.all()]
    return initial, holders, officers


def _edit_page(request, *, application=None, enterprise=None):
    change = (application is not None and application.kind == "change") or enterprise is not None
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, **_form_kwargs(request, change))
        holders = ShareholderFormSet(request.POST, prefix="holders")
        officers = OfficerFormSet(request.POST, prefix="officers")
        if form.is_valid() and holders.is_valid() and officers.is_valid():
            data = application_data(form, holders, officers)
            articles = form.cleaned_data.get("articles")
            try:
                if application is not None:
                    application = application_update(actor=request.actor, application=application, data=data,
                                                     articles=articles)
                elif enterprise is not None:
                    application = change_apply(actor=request.actor, enterprise=enterprise, data=data,
                                               articles=articles)
                else:
                    application = establishment_apply(actor=request.actor, data=data, articles=articles)
            except ServiceError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, _("Saved. Check the list of corrections, then submit."))
                return redirect("registration:application", pk=application.pk)
    else:
        initial, holder_rows, officer_rows = _initial(application) if application else ({}, [], [])
        if enterprise is not None:
            initial = {"name": enterprise.name, "address": enterprise.address,
                       "district": enterprise.district.key if enterprise.district_id else ""}
        form = ApplicationForm(initial=initial, **_form_kwargs(request, change))
        holders = ShareholderFormSet(initial=holder_rows, prefix="holders")
        officers = OfficerFormSet(initial=officer_rows, prefix="officers")
    return render(request, "registration/application_form.html", {
        "form": form, "holders": holders, "officers": officers, "application": application,
        "enterprise": enterprise, "change": change, "names_available": names_bridge.available(),
    })


def application_new(request):
    allowed, reason = can_apply_establishment(request.actor)
    if not allowed:
        return forbidden(request, reason)
    return _edit_page(request)


def change_new(request):
    enterprise = enterprise_for_organisation(request.actor.organisation)
    if enterprise is None:
        return forbidden(request, _("Act for an enterprise to change its registration."))
    allowed, reason = can_apply_for_enterprise(request.actor, enterprise)
    if not allowed:
        return forbidden(request, reason)
    return _edit_page(request, enterprise=enterprise)


def application_edit(request, pk: int):
    application = selectors.application_by_id(pk)
    if application is None:
        return not_found(request)
    allowed, reason = can_edit_application(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    return _edit_page(request, application=application)


def application_detail(request, pk: int):
    application = selectors.application_by_id(pk)
    if application is None:
        return not_found(request)
    allowed, reason = can_view_application(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    licence = application.licences.order_by("-issued_at").first() if application.uscc else None
    return render(request, "registration/application.html", {
        "application": application, "missing": checks.corrections(application) if application.is_open else [],
        "transitions": transitions_for(request.actor, application), "form": TransitionForm(),
        "steps": application.steps.all(), "licence": licence,
        "can_edit": can_edit_application(request.actor, application)[0],
        "scope": selectors.scope_terms_by_code(application.scope_terms),
    })


@require_POST
def application_step(request, pk: int):
    application = selectors.application_by_id(pk)
    if application is None:
        return not_found(request)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            application_transition(
                actor=request.actor, application=application, transition=form.cleaned_data["transition"],
                note=form.cleaned_data["note"], corrections=form.cleaned_data["corrections"].splitlines())
        except ServiceError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done: the application is now %(state)s.") % {
                "state": application.get_state_display()})
    return redirect("registration:application", pk=pk)


def queue(request):
    department = request.actor.department
    if department is None or not selectors.is_authority(department):
        return forbidden(request, _("This page is for officers of the registration authority."))
    state = request.GET.get("state", "")
    return render(request, "registration/queue.html", {
        "applications": selectors.review_queue(department, state=state)[:200], "state": state,
        "states": ApplicationState.choices, "today": selectors.today(),
        "deregistrations": selectors.deregistrations_for_authority(department)[:100],
        "custodians": selectors.custodians_for_authority(department)[:100],
    })
