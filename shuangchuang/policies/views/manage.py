"""Officer pages: import, publish, revise and withdraw documents; edit rules of benefits; push; set parameters;
curate approved answers. Every write is one service call; refusals show the service's reason."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies import services
from shuangchuang.policies.forms import (
    BenefitForm,
    ConditionFormSet,
    FaqForm,
    ImportForm,
    ParameterSetForm,
    ReasonForm,
    ReviseForm,
    condition_initial,
    json_field_error,
    rule_is_flat,
)
from shuangchuang.policies.models import Benefit, BenefitPush, Faq, Parameter, PartKind, PolicyDocument, PolicyPart
from shuangchuang.policies.permissions import can_edit_benefit, can_manage_policies
from shuangchuang.policies.rules import fact_catalogue
from shuangchuang.policies.selectors.benefits import department_benefits, push_detail
from shuangchuang.policies.selectors.documents import department_documents
from shuangchuang.policies.selectors.parameters import parameter_list
from shuangchuang.policies.views.common import denied


def _department_or_denied(request):
    department = request.actor.department
    if department is None:
        return None, denied(request, _("Only department officers can manage policies."))
    return department, None


@login_required
def dashboard(request):
    department, refusal = _department_or_denied(request)
    if refusal:
        return refusal
    return render(request, "policies/manage.html", {
        "department": department,
        "documents": department_documents(department)[:50],
        "benefits": department_benefits(department)[:50],
        "parameters": parameter_list(department=department),
        "faqs": Faq.objects.filter(department=department).select_related("approved_by")[:50],
        "pushes": BenefitPush.objects.filter(benefit__department=department).select_related("benefit")[:10],
    })


@login_required
def import_text(request):
    department, refusal = _department_or_denied(request)
    if refusal:
        return refusal
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.policy_import_text(
                actor=request.actor, department=department, text=data["text"], topics=data["topics"],
                beneficiary_types=data["beneficiary_types"], **form.values())
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The document was imported as a draft with %(n)s measures.")
                             % {"n": doc.parts.filter(kind=PartKind.MEASURE).count()})
            return redirect("policies:document", doc.pk)
    return render(request, "policies/import.html", {"form": form, "department": department})


def _document(pk):
    return get_object_or_404(PolicyDocument.objects.select_related("department"), pk=pk)


@login_required
@require_POST
def publish(request, pk: int):
    doc = _document(pk)
    try:
        services.policy_publish(actor=request.actor, document=doc)
        messages.success(request, _("The document is published."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:document", doc.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    doc = _document(pk)
    form = ReasonForm(request.POST)
    try:
        services.policy_withdraw(actor=request.actor, document=doc,
                                 reason=form.data.get("reason", ""))
        messages.success(request, _("The document is withdrawn."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:document", doc.pk)


@login_required
def revise(request, pk: int):
    doc = _document(pk)
    initial = {name: getattr(doc, name) for name in ("title", "number", "issuer", "signed_on", "published_on",
                                                     "effective_from", "expires_on", "source_url", "summary")}
    initial.update(topics=doc.topic_codes, beneficiary_types=doc.beneficiary_codes, text=doc.body)
    form = ReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data.get(name) or (None if name.endswith(("_on", "_from")) else "")
                  for name in initial if name not in ("topics", "beneficiary_types", "text")}
        text = data["text"] if data["text"].strip() and data["text"].strip() != doc.body.strip() else None
        try:
            services.policy_revise(actor=request.actor, document=doc, note=data["note"], text=text,
                                   topics=data["topics"], beneficiary_types=data["beneficiary_types"], **values)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Version %(n)s is saved; the previous one stays readable.")
                             % {"n": doc.version})
            return redirect("policies:versions", doc.pk)
    return render(request, "policies/revise.html", {"form": form, "doc": doc})


def _benefit(pk):
    return get_object_or_404(Benefit.objects.select_related("document", "department", "part"), pk=pk)


def _rule_from(form, formset, current: dict | None) -> tuple[dict | None, str | None]:
    raw = (form.cleaned_data.get("rule_json") or "").strip()
    if raw and (current is None or raw != json.dumps(current, ensure_ascii=False, indent=1)):
        return json_field_error(raw)
    conditions = [c for c in (f.condition() for f in formset.forms if f.is_valid()) if c]
    return {form.cleaned_data["combinator"]: conditions}, None


def _attach_error(form, formset, exc: ServiceError) -> None:
    """Show a service error where it belongs: on a condition row (rule.all[2].value), a field, or the form."""
    import re

    match = re.match(r"^rule\.(all|any)\[(\d+)\](?:\.(fact|op|value|cite))?$", exc.field or "")
    if match and formset is not None and int(match.group(2)) < len(formset.forms):
        row = formset.forms[int(match.group(2))]
        row.add_error(match.group(3) or None, exc.message)
        form.add_error(None, _("Condition %(n)s: %(message)s") % {"n": int(match.group(2)) + 1,
                                                                   "message": exc.message})
    elif exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, f"{exc.field}: {exc.message}" if exc.field else exc.message)


def _benefit_values(form) -> dict:
    data = form.cleaned_data
    part = PolicyPart.objects.filter(pk=data["part"]).first() if data.get("part") else None
    return {"kind": data["kind"], "audience": data["audience"], "part": part, "summary": data["summary"],
            "amount_text": data["amount_text"], "citation": data["citation"], "keywords": data["keywords"],
            "checked_at_application": data["checked_at_application"], "opens_on": data["opens_on"],
            "apply_until": data["apply_until"]}


@login_required
def benefit_new(request, pk: int):
    doc = _document(pk)
    allowed, reason = can_manage_policies(request.actor, request.actor.department)
    if not allowed:
        return denied(request, reason)
    form = BenefitForm(request.POST or None, document=doc)
    formset = ConditionFormSet(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rule, error = _rule_from(form, formset, None)
        if error:
            form.add_error("rule_json", error)
        else:
            try:
                item = services.benefit_create(actor=request.actor, document=doc, title=form.cleaned_data["title"],
                                               rule=rule, department=request.actor.department,
                                               **{k: v for k, v in _benefit_values(form).items() if k != "title"})
            except ServiceError as exc:
                _attach_error(form, formset, exc)
            else:
                messages.success(request, _("The benefit is saved as a draft."))
                return redirect("policies:benefit", item.pk)
    return render(request, "policies/benefit_form.html", {"form": form, "formset": formset, "doc": doc,
                                                          "catalogue": fact_catalogue()})


@login_required
def benefit_edit(request, pk: int):
    item = _benefit(pk)
    allowed, reason = can_edit_benefit(request.actor, item)
    if not allowed:
        return denied(request, reason)
    flat = rule_is_flat(item.rule)
    combinator, conditions = condition_initial(item.rule) if flat else ("all", [])
    rule_json = json.dumps(item.rule, ensure_ascii=False, indent=1)
    initial = {"title": item.title, "kind": item.kind, "audience": item.audience, "part": item.part_id or "",
               "summary": item.summary, "amount_text": item.amount_text, "citation": item.citation,
               "keywords": item.keywords, "checked_at_application": item.checked_at_application,
               "opens_on": item.opens_on, "apply_until": item.apply_until, "combinator": combinator,
               "rule_json": rule_json}
    form = BenefitForm(request.POST or None, initial=initial, document=item.document)
    formset = ConditionFormSet(request.POST or None, prefix="c", initial=conditions)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        if flat:
            rule, error = _rule_from(form, formset, item.rule)
        else:
            rule, error = json_field_error(form.cleaned_data["rule_json"])
        if error:
            form.add_error("rule_json", error)
        else:
            try:
                services.benefit_update(actor=request.actor, benefit=item, title=form.cleaned_data["title"],
                                        rule=rule, **_benefit_values(form))
            except ServiceError as exc:
                _attach_error(form, formset if flat else None, exc)
            else:
                messages.success(request, _("The benefit is saved."))
                return redirect("policies:benefit", item.pk)
    return render(request, "policies/benefit_form.html", {"form": form, "formset": formset, "doc": item.document,
                                                          "benefit": item, "flat": flat, "catalogue": fact_catalogue()})


@login_required
@require_POST
def benefit_publish(request, pk: int):
    item = _benefit(pk)
    try:
        services.benefit_publish(actor=request.actor, benefit=item)
        messages.success(request, _("The benefit is published; matching enterprises are told in the background."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:benefit", item.pk)


@login_required
@require_POST
def benefit_withdraw(request, pk: int):
    item = _benefit(pk)
    try:
        services.benefit_withdraw(actor=request.actor, benefit=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("The benefit is withdrawn."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:benefit", item.pk)


@login_required
@require_POST
def benefit_push(request, pk: int):
    item = _benefit(pk)
    try:
        push = services.benefit_push_start(actor=request.actor, benefit=item, reason="manual")
        messages.success(request, _("The push is queued."))
        return redirect("policies:push", push.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:benefit", item.pk)


@login_required
def push(request, pk: int):
    item = push_detail(pk)
    if item is None:
        raise Http404
    allowed, reason = can_edit_benefit(request.actor, item.benefit)
    if not allowed:
        return denied(request, reason)
    template = "policies/_push.html" if request.htmx else "policies/push.html"
    return render(request, template, {"push": item})


@login_required
def parameter_set(request, pk: int):
    row = get_object_or_404(Parameter.objects.select_related("department"), pk=pk)
    initial = {"source": row.source, "note": row.note}
    if row.value is not None:
        from shuangchuang.policies.selectors.parameters import typed_value

        value = typed_value(row)
        initial["value"] = value / 100 if row.kind == "money" else (json.dumps(value, ensure_ascii=False)
                                                                    if row.kind == "json" else value)
    form = ParameterSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"]
        if row.kind == "json" and value:
            value, error = json_field_error(value)
            if error:
                form.add_error("value", error)
        if not form.errors:
            try:
                services.parameter_set(actor=request.actor, parameter=row, value=value,
                                       source=form.cleaned_data["source"], note=form.cleaned_data["note"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The parameter is saved."))
                return redirect("policies:parameters")
    return render(request, "policies/parameter_form.html", {"form": form, "row": row})


@login_required
def faq_new(request):
    department, refusal = _department_or_denied(request)
    if refusal:
        return refusal
    form = FaqForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        numbers = [n.strip() for n in form.cleaned_data["citations"].replace("，", ",").split(",") if n.strip()]
        parts = list(PolicyPart.objects.filter(kind=PartKind.MEASURE, number__in=numbers,
                                               document__slug="sz-2016-61"))
        try:
            services.faq_create(actor=request.actor, department=department, question=form.cleaned_data["question"],
                                answer=form.cleaned_data["answer"], citations=parts)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The answer is saved as a draft; approve it to use it."))
            return redirect("policies:manage")
    return render(request, "policies/faq_form.html", {"form": form})


@login_required
@require_POST
def faq_decide(request, pk: int, decision: str):
    faq = get_object_or_404(Faq.objects.select_related("department"), pk=pk)
    try:
        if decision == "approve":
            services.faq_approve(actor=request.actor, faq=faq)
            messages.success(request, _("The answer is approved."))
        else:
            services.faq_withdraw(actor=request.actor, faq=faq)
            messages.success(request, _("The answer is withdrawn."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:manage")
