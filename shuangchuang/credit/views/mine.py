"""The enterprise's (or person's) own credit: record, annual reports, credit repair."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.pages import show_error
from shuangchuang.credit import presenters, selectors
from shuangchuang.credit.forms import AnnualReportForm, RepairForm, TransitionForm
from shuangchuang.credit.permissions import can_apply_repair, can_view_repair, entry_concerns_actor
from shuangchuang.credit.services import annual_report_file, repair_apply, repair_transition
from shuangchuang.credit.services.annual import FIRST_REPORT_YEAR, filing_deadline
from shuangchuang.credit.services.repair import repair_eligibility, transitions_for
from shuangchuang.credit.views.common import forbidden
from shuangchuang.registry.selectors import enterprise_for_organisation


@login_required
def my_credit(request):
    actor = request.actor
    found = enterprise_for_organisation(actor.organisation)
    context = {"enterprise": found}
    if found is not None:
        entries = list(selectors.entries_for_enterprise(found, public_only=False))
        context["record"] = presenters.credit_record(found, entries, selectors.annual_reports_for(found))
        context["entries"] = [(e, repair_eligibility(e), can_apply_repair(actor, e)[0]) for e in entries
                              if e.status == "active"]
        today = selectors.today()
        filed = {r["year"] for r in context["record"]["annual_reports"]}
        first_year = max(found.founded_on.year if found.founded_on else today.year - 3, today.year - 3)
        context["due_years"] = [
            {"year": y, "deadline": filing_deadline(y), "filed": y in filed, "late": today > filing_deadline(y),
             "correctable": y in filed and today <= filing_deadline(y)}
            for y in range(today.year - 1, first_year - 1, -1)
        ]
    person_entries = list(selectors.entries_for_person(actor.user.id_number or ""))
    context["person_entries"] = [(e, repair_eligibility(e), can_apply_repair(actor, e)[0]) for e in person_entries
                                 if e.status == "active" and e.subject_type == "person"]
    context["repairs"] = selectors.repairs_for_applicant(actor)[:20]
    return render(request, "credit/my.html", context)


@login_required
def annual_report(request, year: int):
    if not FIRST_REPORT_YEAR <= year < selectors.today().year:  # no report is filed for that year
        raise Http404
    actor = request.actor
    found = enterprise_for_organisation(actor.organisation)
    if found is None:
        return forbidden(request, _("Act for an enterprise to file its annual report."))
    current = selectors.annual_report_current(found, year)
    form = AnnualReportForm(request.POST or None, initial=AnnualReportForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            annual_report_file(actor=actor, enterprise=found, year=year, **form.cleaned_data)
            messages.success(request, _("The %(year)d annual report is filed and published.") % {"year": year})
            return redirect("credit:my")
        except ServiceError as exc:
            if isinstance(exc, NotAllowed):
                return forbidden(request, exc.message)
            show_error(request, exc, form)
    return render(request, "credit/annual_report_form.html", {
        "form": form, "enterprise": found, "year": year, "current": current, "deadline": filing_deadline(year)})


@login_required
def repair_new(request, entry_id: int):
    entry = selectors.entry_by_id(entry_id)
    if entry is None or not entry_concerns_actor(request.actor, entry):
        raise Http404
    form = RepairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = repair_apply(actor=request.actor, entry=entry, statement=form.cleaned_data["statement"],
                                       documents=request.FILES.getlist("documents"))
            messages.success(request, _("Your application is submitted. The issuing department will review it."))
            return redirect("credit:repair_mine", pk=application.pk)
        except ServiceError as exc:
            if exc.field == "documents":
                form.add_error(None, exc.message)
            else:
                show_error(request, exc, form)
    return render(request, "credit/repair_new.html", {"form": form, "entry": entry,
                                                      "eligibility": repair_eligibility(entry)})


def _repair_page(request, pk: int, template: str):
    application = selectors.repair_by_id(pk)
    if application is None:
        raise Http404
    allowed, reason = can_view_repair(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            repair_transition(actor=request.actor, application=application,
                              transition=form.cleaned_data["transition"], note=form.cleaned_data["note"],
                              documents=request.FILES.getlist("documents"))
            messages.success(request, _("Done."))
            return redirect(request.path)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, template, {
        "application": application, "entry": application.entry, "steps": application.steps.all(),
        "documents": application.documents.all(), "transitions": transitions_for(request.actor, application),
        "form": form,
    })


@login_required
def repair_mine(request, pk: int):
    return _repair_page(request, pk, "credit/repair_detail.html")


@login_required
def repair_document(request, pk: int, document_id: int):
    application = selectors.repair_by_id(pk)
    if application is None:
        raise Http404
    allowed, reason = can_view_repair(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)
