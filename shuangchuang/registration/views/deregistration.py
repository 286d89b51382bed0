"""Simplified deregistration pages: the enterprise's eligibility and notice, the file (enterprise and authority),
the public list of notices in progress with an objection form on each."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.core.pages import show_error
from shuangchuang.registration import selectors
from shuangchuang.registration.forms import DeregistrationForm, ObjectionForm, ResolveForm, TransitionForm, to_fen
from shuangchuang.registration.models import Objection
from shuangchuang.registration.ratelimit import check_objection_rate, client_address
from shuangchuang.registration.permissions import can_apply_for_enterprise, can_decide_deregistration, \
    can_view_deregistration
from shuangchuang.registration.services import (
    deregistration_eligibility,
    deregistration_start,
    deregistration_transition,
    objection_raise,
    objection_resolve,
)
from shuangchuang.registration.services.deregistration import deregistration_transitions_for
from shuangchuang.registration.views.common import forbidden, not_found
from shuangchuang.registry.selectors import enterprise_for_organisation


def deregistration_new(request):
    enterprise = enterprise_for_organisation(request.actor.organisation)
    if enterprise is None:
        return forbidden(request, _("Act for an enterprise to deregister it."))
    allowed, reason = can_apply_for_enterprise(request.actor, enterprise)
    if not allowed:
        return forbidden(request, reason)
    open_file = selectors.open_deregistration(enterprise)
    if open_file is not None:
        return redirect("registration:deregistration", pk=open_file.pk)
    form = DeregistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            file = deregistration_start(actor=request.actor, enterprise=enterprise,
                                        ground=form.cleaned_data["ground"], promise=form.cleaned_data["promise"])
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The notice is published until %(date)s.") % {
                "date": file.notice_end.isoformat()})
            return redirect("registration:deregistration", pk=file.pk)
    return render(request, "registration/deregistration_new.html", {
        "enterprise": enterprise, "eligibility": deregistration_eligibility(enterprise), "form": form})


def deregistration_detail(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None:
        return not_found(request)
    allowed, reason = can_view_deregistration(request.actor, file)
    if not allowed:
        return forbidden(request, reason)
    return render(request, "registration/deregistration.html", {
        "file": file, "objections": file.objections.all(), "transitions": deregistration_transitions_for(
            request.actor, file), "form": TransitionForm(),
        "can_decide": can_decide_deregistration(request.actor, file)[0], "resolve_form": ResolveForm(),
        "can_object": request.actor.department is not None and file.state == "notice"
        and not can_decide_deregistration(request.actor, file)[0],
        "objection_form": ObjectionForm(initial={"name": getattr(request.actor.department, "name", "")}),
    })


@require_POST
def deregistration_step(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None:
        return not_found(request)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            deregistration_transition(actor=request.actor, deregistration=file,
                                      transition=form.cleaned_data["transition"], note=form.cleaned_data["note"])
        except ServiceError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
    return redirect("registration:deregistration", pk=pk)


@require_POST
def objection_decide(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None:
        return not_found(request)
    form = ResolveForm(request.POST)
    if form.is_valid():
        objection = Objection.objects.filter(pk=form.cleaned_data["objection"], deregistration=file).first()
        if objection is None:
            return not_found(request)
        try:
            objection_resolve(actor=request.actor, objection=objection, decision=form.cleaned_data["decision"],
                              note=form.cleaned_data["note"])
        except ServiceError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the decision and its reasons."))
    return redirect("registration:deregistration", pk=pk)


@reads_from_replica
def notices(request):
    notices = list(selectors.notices_in_progress()[:200])
    for notice in notices:  # one form per notice, with its own ids so every label points at its own field
        notice.objection_form = ObjectionForm(auto_id=f"id_n{notice.pk}_%s")
    return render(request, "registration/notices.html", {"notices": notices})


def notice_object(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None:
        return not_found(request)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_objection_rate(request.actor, client_address(request))
            objection_raise(actor=request.actor, deregistration=file, kind=form.cleaned_data["kind"],
                            name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                            reason=form.cleaned_data["reason"], amount_fen=to_fen(form.cleaned_data.get("amount")))
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Your objection is recorded; the registration authority will consider it."))
            return redirect("registration:notices")
    return render(request, "registration/objection.html", {"file": file, "form": form})
