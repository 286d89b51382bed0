"""Public pages: programmes, calls (with the acting enterprise's eligibility), public notices and objections."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.programmes.forms import ObjectionForm
from shuangchuang.programmes.selectors import calls as call_selectors
from shuangchuang.programmes.selectors import publicity as notice_selectors
from shuangchuang.programmes.selectors.calls import open_calls_for
from shuangchuang.programmes.services import objection_submit
from shuangchuang.programmes.services.checks import eligibility_of, max_award
from shuangchuang.programmes.services.common import parameter
from shuangchuang.registry.selectors import enterprise_for_organisation


def index(request):
    """Open calls; acting for an enterprise, with its eligibility, the ones it fits first; a person logged in with
    no organisation sees the talent calls a person applies to, with the conditions to meet."""
    enterprise = enterprise_for_organisation(request.actor.organisation)
    person = request.user if request.user.is_authenticated and request.actor.organisation is None else None
    return render(request, "programmes/index.html", {
        "open_calls": call_selectors.open_calls_for_person(person) if person else open_calls_for(enterprise),
        "enterprise": enterprise, "person": person,
        "programmes": call_selectors.programmes_public(),
        "notices": notice_selectors.notices_public()[:5],
    })


@reads_from_replica
def calls(request):
    open_only = request.GET.get("open") == "1"
    return render(request, "programmes/calls.html", {
        "calls": call_selectors.calls_public(open_only=open_only), "open_only": open_only})


def person_conditions(call) -> list[str]:
    from shuangchuang.programmes.services.checks import constrained_fields, condition_text

    return [condition_text(spec) for spec in constrained_fields(call)]


def call_detail(request, pk: int):
    call = call_selectors.call_public(pk)
    if call is None:
        raise Http404
    enterprise = enterprise_for_organisation(request.actor.organisation)
    explanation = eligibility_of(call, enterprise) if enterprise is not None else None
    from shuangchuang.policies.rules import describe

    return render(request, "programmes/call_detail.html", {
        "call": call, "enterprise": enterprise, "explanation": explanation, "rule_text": describe(call.rule),
        "max_award": max_award(call), "is_open": call.is_open(),
        "rate": parameter(call.rate_parameter, timezone.localdate()) if call.rate_parameter else None,
        "rate_label": next((f["label"] for f in (call.form_schema or {}).get("fields", [])
                            if f["key"] == call.rate_base_field), call.rate_base_field),
        "person_conditions": person_conditions(call) if call.person_applicants else [],
        "person_explanation": call_selectors.person_call_explanation(call, request.user)
        if call.person_applicants and request.user.is_authenticated and request.actor.organisation is None else None,
    })


@reads_from_replica
def notices(request):
    return render(request, "programmes/notices.html", {"notices": notice_selectors.notices_public()[:100]})


def notice_detail(request, pk: int):
    notice = notice_selectors.notice_public(pk)
    if notice is None:
        raise Http404
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = notice.applications.filter(pk=form.cleaned_data["application"]).first()
        if application is None:
            raise Http404
        try:
            objection_submit(actor=request.actor, notice=notice, application=application,
                             name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                             text=form.cleaned_data["text"])
            messages.success(request, _("Your objection is received; the department will look into it."))
            return redirect("programmes:notice", pk=notice.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "programmes/notice.html", {
        "notice": notice, "rows": notice_selectors.notice_rows(notice), "form": form})
