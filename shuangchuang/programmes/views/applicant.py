"""The applicant's pages: my applications, a new draft, editing and submitting it, attachments, answering a
request for more information, withdrawing, progress reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.programmes.formschema import file_fields
from shuangchuang.programmes.forms import ApplicationForm, AttachmentForm
from shuangchuang.programmes.models import ApplicationFile, Kpi, ProgressReport, State
from shuangchuang.programmes.permissions import can_apply, can_view_application
from shuangchuang.programmes.selectors import calls as selectors
from shuangchuang.programmes.services import (
    application_create,
    application_file_add,
    application_file_remove,
    application_save,
    application_transition,
    kpi_actual_set,
    report_submit,
    transitions_for,
)
from shuangchuang.programmes.views.common import forbidden, run_and_return, show_error


@login_required
def my_applications(request):
    allowed, reason = can_apply(request.actor)
    if not allowed:
        if request.actor.organisation is not None:
            return forbidden(request, reason)
        # a person without an enterprise: his or her own applications to talent calls
        return render(request, "programmes/my.html", {
            "applications": selectors.applications_of_person(request.actor.user), "ledger": []})
    from shuangchuang.programmes.selectors.ledger import ledger_for
    from shuangchuang.registry.selectors import enterprise_for_organisation

    enterprise = enterprise_for_organisation(request.actor.organisation)
    return render(request, "programmes/my.html", {
        "applications": selectors.applications_of(request.actor.organisation),
        "ledger": ledger_for(enterprise=enterprise)[:200] if enterprise else []})


@login_required
def apply(request, pk: int):
    call = selectors.call_public(pk)
    if call is None:
        raise Http404
    allowed, reason = can_apply(request.actor, call)
    if not allowed:
        return forbidden(request, reason)
    form = ApplicationForm(request.POST or None, schema=call.form_schema)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_create(actor=request.actor, call=call, project_title=data["project_title"],
                                             project_key=data["project_key"], requested_fen=data["requested"],
                                             answers=data["answers"])
            messages.success(request, _("The draft is saved. Attach the files, then submit."))
            return redirect("programmes:application", pk=application.pk)
        except ServiceError as exc:
            show_error(request, exc, form)
    return render(request, "programmes/apply.html", {"call": call, "form": form}, status=400 if form.errors else 200)


def _application_or_404(request, pk: int):
    application = selectors.application_detail(pk)
    if application is None:
        raise Http404
    return application


def _slots(application):
    call = application.call
    slots = [{"key": f["key"], "label": f["label"], "required": f.get("required", False)}
             for f in file_fields(call.form_schema, application.answers)]
    slots += call.attachments or []
    stored = {}
    for item in application.files.all():
        stored.setdefault(item.slot, []).append(item)
    for slot in slots:
        slot["files"] = stored.get(slot["key"], [])
    return slots


@login_required
def application(request, pk: int):
    """The applicant's view of one application: edit while a draft (or asked for information), then follow it."""
    application = _application_or_404(request, pk)
    allowed, reason = can_view_application(request.actor, application)
    own = (application.person_id == request.user.pk if application.person_id is not None
           else application.organisation_id == getattr(request.actor.organisation, "pk", None))
    if not allowed or not own:
        if allowed:
            return redirect("programmes:manage_application", pk=pk)
        return forbidden(request, reason)
    editable = application.state in (State.DRAFT, State.INFO_REQUESTED)
    form = None
    if editable:
        initial = {"project_title": application.project_title, "project_key": application.project_key,
                   "requested": str(application.requested_fen / 100)}
        form = ApplicationForm(request.POST or None, schema=application.call.form_schema,
                               answers=application.answers, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                application = application_save(
                    actor=request.actor, application=application, answers=data["answers"],
                    project_title=data["project_title"], project_key=data["project_key"],
                    requested_fen=data["requested"])
                step = request.POST.get("step", "")
                if step in ("submit", "respond"):
                    application_transition(actor=request.actor, application=application, transition=step,
                                           note=request.POST.get("note", ""))
                    messages.success(request, _("The application is submitted."))
                else:
                    messages.success(request, _("The draft is saved."))
                return redirect("programmes:application", pk=pk)
            except ServiceError as exc:
                show_error(request, exc, form)
    award = getattr(application, "award", None)
    return render(request, "programmes/application.html", {
        "application": application, "form": form, "editable": editable, "slots": _slots(application),
        "upload_form": AttachmentForm(), "steps": application.steps.all(),
        "transitions": [t for t in transitions_for(request.actor, application) if t.name == "withdraw"],
        "award": award, "instalments": award.instalments.all() if award else [],
        "reports": award.reports.all() if award else [], "kpis": award.kpis.all() if award else [],
        "offers": application.lease_offers.select_related("lease"), "today": timezone.localdate(),
        "milestones": award.milestones.all() if award else [],
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def attachment_add(request, pk: int):
    application = _application_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect("programmes:application", pk=pk)

    def run():
        application_file_add(actor=request.actor, application=application, slot=form.cleaned_data["slot"],
                             upload=form.cleaned_data["upload"])
        return _("The file is attached.")

    return run_and_return(request, run, "programmes:application", pk)


@login_required
@require_POST
def attachment_remove(request, pk: int, file_id: int):
    stored = ApplicationFile.objects.select_related("application").filter(pk=file_id, application__pk=pk).first()
    if stored is None:
        raise Http404

    def run():
        application_file_remove(actor=request.actor, stored=stored)
        return _("The file is removed.")

    return run_and_return(request, run, "programmes:application", pk)


@login_required
def attachment_download(request, pk: int, file_id: int):
    application = _application_or_404(request, pk)
    allowed, reason = can_view_application(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    stored = application.files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type)


@login_required
@require_POST
def applicant_transition(request, pk: int):
    application = _application_or_404(request, pk)

    def run():
        application_transition(actor=request.actor, application=application,
                               transition=request.POST.get("transition", ""), note=request.POST.get("note", ""))
        return _("Done.")

    return run_and_return(request, run, "programmes:application", pk)


@login_required
@require_POST
def report(request, pk: int, report_id: int):
    found = ProgressReport.objects.select_related("award__application").filter(
        pk=report_id, award__application__pk=pk).first()
    if found is None:
        raise Http404

    def run():
        report_submit(actor=request.actor, report=found, text=request.POST.get("text", ""))
        return _("The progress report is submitted.")

    return run_and_return(request, run, "programmes:application", pk)


@login_required
@require_POST
def kpi_actual(request, pk: int, kpi_id: int):
    found = Kpi.objects.select_related("award__application").filter(
        pk=kpi_id, award__application__pk=pk).first()
    if found is None:
        raise Http404

    def run():
        kpi_actual_set(actor=request.actor, kpi=found, actual=request.POST.get("actual", ""))
        return _("The actual value is recorded.")

    return run_and_return(request, run, "programmes:application", pk)
