"""Cluster registration pages: approved custodians and the firms at their address (public), the custodian
application, the custodian's page (documents served), the authority's decision."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.core.pages import show_error
from shuangchuang.registration import selectors
from shuangchuang.registration.forms import CustodianDecisionForm, CustodianForm, ServedForm
from shuangchuang.registration.permissions import (
    can_apply_for_enterprise,
    can_decide_custodian,
    can_serve_for_custodian,
)
from shuangchuang.registration.services import (
    custodian_apply,
    custodian_decide,
    document_served_record,
    hosting_contract_end,
)
from shuangchuang.registration.views.common import forbidden, not_found
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_for_organisation


@reads_from_replica
def custodians(request):
    return render(request, "registration/custodians.html", {"custodians": selectors.approved_custodians()})


def custodian_new(request):
    enterprise = enterprise_for_organisation(request.actor.organisation)
    if enterprise is None:
        return forbidden(request, _("Act for the enterprise that would be the custodian."))
    allowed, reason = can_apply_for_enterprise(request.actor, enterprise)
    if not allowed:
        return forbidden(request, reason)
    form = CustodianForm(request.POST or None, request.FILES or None,
                         initial={"address": enterprise.address})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            custodian = custodian_apply(
                actor=request.actor, enterprise=enterprise, address=data["address"], annotation=data["annotation"],
                declarations={"service_place": data["service_place"],
                              "staff_and_procedures": data["staff_and_procedures"]},
                title_document=data.get("title_document"))
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Applied. The registration authority decides."))
            return redirect("registration:custodian", pk=custodian.pk)
    return render(request, "registration/custodian_new.html", {"form": form, "enterprise": enterprise})


def custodian_detail(request, pk: int):
    custodian = selectors.custodian_by_id(pk)
    if custodian is None:
        return not_found(request)
    actor = request.actor
    can_decide = can_decide_custodian(actor, custodian)[0]
    can_serve = can_serve_for_custodian(actor, custodian)[0]
    if custodian.state != "approved" and not (can_decide or can_serve):
        return not_found(request)
    hosted = list(selectors.hosted_at(custodian))
    served_form = ServedForm(request.POST if request.method == "POST" and "title" in request.POST else None,
                             hosted=hosted)
    decision_form = CustodianDecisionForm(request.POST if request.method == "POST" and "decision" in request.POST
                                          else None)
    if request.method == "POST":
        try:
            if "decision" in request.POST and decision_form.is_valid():
                custodian_decide(actor=actor, custodian=custodian, decision=decision_form.cleaned_data["decision"],
                                 note=decision_form.cleaned_data["note"])
                messages.success(request, _("Done."))
                return redirect("registration:custodian", pk=pk)
            if "end_contract" in request.POST:
                chosen = request.POST.get("end_contract", "")
                contract = custodian.contracts.filter(pk=int(chosen)).first() if chosen.isdigit() else None
                try:
                    ended_on = datetime.date.fromisoformat(request.POST.get("ended_on", ""))
                except ValueError:
                    ended_on = None
                if contract is None or ended_on is None:
                    messages.error(request, _("Choose the contract and the day it ends."))
                else:
                    hosting_contract_end(actor=actor, contract=contract, on=ended_on)
                    messages.success(request, _("Recorded."))
                return redirect("registration:custodian", pk=pk)
            if "title" in request.POST and served_form.is_valid():
                data = served_form.cleaned_data
                document_served_record(actor=actor, custodian=custodian,
                                       enterprise=enterprise_by_uscc(data["enterprise"]), title=data["title"],
                                       sender=data["sender"], received_on=data["received_on"],
                                       signed_on=data["signed_on"])
                messages.success(request, _("Recorded."))
                return redirect("registration:custodian", pk=pk)
        except ServiceError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            show_error(request, exc)
    return render(request, "registration/custodian.html", {
        "custodian": custodian, "hosted": hosted, "can_decide": can_decide, "can_serve": can_serve,
        "served_form": served_form, "decision_form": decision_form,
        "documents": custodian.documents.select_related("enterprise")[:100] if (can_serve or can_decide) else [],
        "firms_at_address": selectors.firms_at_address(custodian.annotated_address)[:200],
    })
