"""Credit pages: public search, lists, credit records and screening; the enterprise's own credit (annual reports,
repair); officers' work (lists, entries, restrictions, imports, jobs, bulk screening, repair review).

Views parse input, call one service or selector, render. Services raise ServiceError; views show its message.
"""

from __future__ import annotations

import csv
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.credit import presenters, selectors
from shuangchuang.credit.forms import (
    AdjudicateForm,
    AnnualReportForm,
    BulkScreenForm,
    EntryForm,
    ListForm,
    RemoveEntryForm,
    RepairForm,
    RestrictionForm,
    ScreenForm,
    TransitionForm,
    UploadForm,
)
from shuangchuang.credit.importing import ALIASES, COLUMNS
from shuangchuang.credit.models import Action, ImportStatus, JobKind, RepairState
from shuangchuang.credit.permissions import (
    can_apply_repair,
    can_manage_list,
    can_see_who_screened,
    can_view_evidence,
    can_view_job,
    can_view_repair,
    entry_concerns_actor,
    is_officer,
)
from shuangchuang.credit.ratelimit import check_screening_rate, client_address
from shuangchuang.credit.services import (
    Party,
    adjudication_record,
    annual_report_file,
    bulk_screen_start,
    entry_create,
    entry_remove,
    entry_update,
    late_filers_start,
    list_create,
    list_import_apply,
    list_import_cancel,
    list_import_check,
    list_update,
    repair_apply,
    repair_transition,
    rescreen_start,
    restriction_create,
    restriction_update,
    screening_run,
)
from shuangchuang.credit.services.annual import abnormal_list, filing_deadline
from shuangchuang.credit.services.repair import repair_eligibility, transitions_for
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_for_organisation, enterprise_search


def _page(request, items, per_page: int = 20):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _show_error(request, exc: ServiceError, form=None) -> None:
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def _forbidden(request, message: str):
    return render(request, "credit/forbidden.html", {"message": message}, status=403)


def _officer_only(request):
    """None when the person acts as a department officer, else the refusal page."""
    if not is_officer(request.actor) and not request.actor.is_platform_admin:
        return _forbidden(request, _("This page is for department officers."))
    return None


# ---- public ----------------------------------------------------------------------------------------------

@reads_from_replica
def index(request):
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q}
    if q:
        context["enterprises"] = list(enterprise_search(q)[:10])
        context["page"] = _page(request, selectors.entry_search(q))
    if request.htmx:
        return render(request, "credit/_search_results.html", context)
    context["lists"] = selectors.lists_public_with_counts()
    return render(request, "credit/index.html", context)


@reads_from_replica
def lists(request):
    return render(request, "credit/lists.html", {"lists": selectors.lists_public_with_counts()})


@reads_from_replica
def list_detail(request, code: str):
    credit_list = selectors.list_by_code(code)
    if credit_list is None or not credit_list.is_active or not credit_list.is_public:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.entries_of_list(credit_list, q=q))
    template = "credit/_entries.html" if request.htmx else "credit/list_detail.html"
    return render(request, template, {
        "credit_list": credit_list, "q": q, "page": page,
        "items": [presenters.public_entry(e) for e in page.object_list],
        "restrictions": selectors.restrictions_of(credit_list),
    })


@reads_from_replica
def enterprise(request, uscc: str):
    found = enterprise_by_uscc(uscc)
    if found is None:
        raise Http404
    record = presenters.credit_record(found, selectors.entries_for_enterprise(found),
                                      selectors.annual_reports_for(found))
    years = [(year, list(reports)) for year, reports in groupby(record["annual_reports"], key=lambda r: r["year"])]
    return render(request, "credit/enterprise.html", {"enterprise": found, "record": record, "years": years})


def screen(request):
    """Screen a party for an action: anyone by name or code, officers also by ID number and on a date."""
    actor = request.actor
    officer = is_officer(actor) or actor.is_platform_admin
    form = ScreenForm(request.POST or None, officer=officer)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = client_address(request)
            check_screening_rate(actor, client)
            result = screening_run(
                actor=actor, action=data["action"], on=data.get("on") if officer else None, channel="web",
                client=client, party=Party(name=data["name"], uscc=data["uscc"],
                                           old_registration_number=data["old_registration_number"],
                                           id_number=data.get("id_number", "")),
            )
        except ServiceError as exc:
            _show_error(request, exc, form)
            status = exc.status
    context = {"form": form, "result": result, "officer": officer,
               "action_label": dict(Action.choices).get(result.action) if result else ""}
    if request.htmx:
        return render(request, "credit/_screen_result.html", context, status=status)
    return render(request, "credit/screen.html", context, status=status)


def evidence(request, evidence_id):
    record = selectors.evidence_by_id(evidence_id)
    if record is None:
        raise Http404
    allowed, reason = can_view_evidence(request.actor, record)
    if not allowed:
        return _forbidden(request, reason)
    officer = is_officer(request.actor) or request.actor.is_platform_admin
    return render(request, "credit/evidence.html", {
        "evidence": record, "result": record.result, "officer": officer,
        "show_actor": can_see_who_screened(request.actor, record)[0],
        "action_label": dict(Action.choices).get(record.action, record.action),
    })


@login_required
@require_POST
def adjudicate(request, evidence_id):
    record = selectors.evidence_by_id(evidence_id)
    form = AdjudicateForm(request.POST)
    if record is None or not form.is_valid():
        raise Http404
    entry = selectors.entry_by_id(form.cleaned_data["entry"])
    if entry is None:
        raise Http404
    try:
        adjudication_record(actor=request.actor, evidence=record, entry=entry,
                            decision=form.cleaned_data["decision"], note=form.cleaned_data["note"])
        messages.success(request, _("The decision is recorded and applies to later screenings of this party."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("credit:evidence", evidence_id=record.pk)


def import_format(request):
    aliases = {}
    for alias, column in ALIASES.items():
        aliases.setdefault(column, []).append(alias)
    return render(request, "credit/import_format.html", {
        "columns": [(c, "、".join(aliases.get(c, []))) for c in COLUMNS]})


# ---- the enterprise's (or person's) own credit -----------------------------------------------------------

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
    actor = request.actor
    found = enterprise_for_organisation(actor.organisation)
    if found is None:
        return _forbidden(request, _("Act for an enterprise to file its annual report."))
    current = selectors.annual_report_current(found, year)
    form = AnnualReportForm(request.POST or None, initial=AnnualReportForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            annual_report_file(actor=actor, enterprise=found, year=year, **form.cleaned_data)
            messages.success(request, _("The %(year)d annual report is filed and published.") % {"year": year})
            return redirect("credit:my")
        except ServiceError as exc:
            if isinstance(exc, NotAllowed):
                return _forbidden(request, exc.message)
            _show_error(request, exc, form)
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
                _show_error(request, exc, form)
    return render(request, "credit/repair_new.html", {"form": form, "entry": entry,
                                                      "eligibility": repair_eligibility(entry)})


def _repair_page(request, pk: int, template: str):
    application = selectors.repair_by_id(pk)
    if application is None:
        raise Http404
    allowed, reason = can_view_repair(request.actor, application)
    if not allowed:
        return _forbidden(request, reason)
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
        return _forbidden(request, reason)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


# ---- officers --------------------------------------------------------------------------------------------

@login_required
def manage(request):
    if (refusal := _officer_only(request)) is not None:
        return refusal
    actor = request.actor
    department = actor.department
    abnormal = abnormal_list()
    return render(request, "credit/manage.html", {
        "department": department,
        "lists": selectors.lists_of_department(department),
        "repairs": selectors.repairs_for_department(department, open_only=True)[:20],
        "jobs": selectors.jobs_for(actor)[:10],
        "runs_late_filers": abnormal is not None and department is not None and abnormal.department_id == department.pk,
    })


def _managed_list(request, pk):
    credit_list = selectors.list_by_id(pk)
    if credit_list is None:
        raise Http404
    allowed, reason = can_manage_list(request.actor, credit_list)
    return credit_list, (None if allowed else _forbidden(request, reason))


@login_required
def list_new(request):
    if (refusal := _officer_only(request)) is not None:
        return refusal
    department = request.actor.department
    form = ListForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            credit_list = list_create(actor=request.actor, department=department, code=form.cleaned_data["code"],
                                      **values)
            messages.success(request, _("The list is created."))
            return redirect("credit:list_manage", pk=credit_list.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/list_form.html", {"form": form, "credit_list": None})


@login_required
def list_edit(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    form = ListForm(request.POST or None, instance=credit_list, department=credit_list.department, editing=True)
    if request.method == "POST" and form.is_valid():
        credit_list.refresh_from_db()  # the form wrote into the instance; the service compares with the stored row
        try:
            list_update(actor=request.actor, credit_list=credit_list, **form.service_values())
            messages.success(request, _("The list is saved."))
            return redirect("credit:list_manage", pk=credit_list.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/list_form.html", {"form": form, "credit_list": credit_list})


@login_required
def list_manage(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.entries_of_list(credit_list, q=q, public_only=False, include_inactive=True))
    if request.htmx:
        return render(request, "credit/_manage_entries.html", {"credit_list": credit_list, "page": page, "q": q})
    return render(request, "credit/list_manage.html", {
        "credit_list": credit_list, "page": page, "q": q,
        "restrictions": selectors.restrictions_of(credit_list),
        "imports": selectors.imports_of(credit_list)[:5],
        "jobs": credit_list.jobs.order_by("-created_at")[:5],
    })


@login_required
def restriction_new(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    form = RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            restriction_create(actor=request.actor, credit_list=credit_list, **form.cleaned_data)
            messages.success(request, _("The restriction is added."))
            return redirect("credit:list_manage", pk=credit_list.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/restriction_form.html", {"form": form, "credit_list": credit_list})


@login_required
def restriction_edit(request, pk: int):
    restriction = selectors.restriction_by_id(pk)
    if restriction is None:
        raise Http404
    credit_list, refusal = _managed_list(request, restriction.credit_list_id)
    if refusal:
        return refusal
    initial = {f: getattr(restriction, f) for f in RestrictionForm.base_fields}
    form = RestrictionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            restriction_update(actor=request.actor, restriction=restriction, **form.cleaned_data)
            messages.success(request, _("The restriction is saved."))
            return redirect("credit:list_manage", pk=credit_list.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/restriction_form.html", {"form": form, "credit_list": credit_list,
                                                            "restriction": restriction})


def _entry_values(cleaned: dict) -> dict:
    return {k: v for k, v in cleaned.items() if v not in (None, "")}


@login_required
def entry_new(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    form = EntryForm(request.POST or None, initial={"subject_type": "person" if credit_list.subjects == "persons"
                                                    else "enterprise"})
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_create(actor=request.actor, credit_list=credit_list, **_entry_values(form.cleaned_data))
            messages.success(request, _("The entry is added."))
            return redirect("credit:entry_manage", pk=entry.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/entry_form.html", {"form": form, "credit_list": credit_list, "entry": None})


@login_required
def entry_manage(request, pk: int):
    entry = selectors.entry_by_id(pk)
    if entry is None:
        raise Http404
    credit_list, refusal = _managed_list(request, entry.credit_list_id)
    if refusal:
        return refusal
    initial = {f: getattr(entry, f) for f in EntryForm.base_fields}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: (v if v is not None else "") for k, v in form.cleaned_data.items()
                   if (v if v is not None else "") != (getattr(entry, k) if getattr(entry, k) is not None else "")}
        try:
            entry_update(actor=request.actor, entry=entry, **changes)
            messages.success(request, _("The entry is saved."))
            return redirect("credit:entry_manage", pk=entry.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/entry_manage.html", {
        "form": form, "credit_list": credit_list, "entry": entry, "remove_form": RemoveEntryForm(),
        "revisions": entry.revisions.all(), "public": presenters.public_entry(entry, full_id_numbers=True),
    })


@login_required
@require_POST
def entry_remove_view(request, pk: int):
    entry = selectors.entry_by_id(pk)
    if entry is None:
        raise Http404
    form = RemoveEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is removed."))
        return redirect("credit:entry_manage", pk=entry.pk)
    try:
        entry_remove(actor=request.actor, entry=entry, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])
        messages.success(request, _("The entry is removed from the list; its history is kept."))
    except NotAllowed as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("credit:entry_manage", pk=entry.pk)


@login_required
def import_upload(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = list_import_check(actor=request.actor, credit_list=credit_list, upload=form.cleaned_data["file"])
            return redirect("credit:import_detail", pk=batch.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/import_upload.html", {"form": form, "credit_list": credit_list})


@login_required
def import_detail(request, pk: int):
    batch = selectors.import_batch_by_id(pk)
    if batch is None:
        raise Http404
    credit_list, refusal = _managed_list(request, batch.credit_list_id)
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            if request.POST.get("cancel"):
                list_import_cancel(actor=request.actor, batch=batch)
                messages.info(request, _("The file is set aside; nothing was imported."))
            else:
                batch = list_import_apply(actor=request.actor, batch=batch,
                                          skip_bad_rows=bool(request.POST.get("skip_bad_rows")))
                if batch.status == ImportStatus.IMPORTED:
                    messages.success(request, _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d "
                                                "unchanged, %(skipped)d bad rows skipped.")
                                     % {"created": batch.created, "updated": batch.updated,
                                        "unchanged": batch.unchanged, "skipped": batch.skipped})
                else:
                    messages.error(request, _("Nothing was imported: the file has bad rows."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("credit:import_detail", pk=batch.pk)
    return render(request, "credit/import_detail.html", {"batch": batch, "credit_list": credit_list,
                                                         "errors": batch.errors[:500]})


@login_required
@require_POST
def rescreen(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    try:
        job = rescreen_start(actor=request.actor, credit_list=credit_list)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("credit:list_manage", pk=credit_list.pk)
    return redirect("credit:job", pk=job.pk)


@login_required
@require_POST
def late_filers(request):
    try:
        job = late_filers_start(actor=request.actor)
    except NotAllowed as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("credit:manage")
    return redirect("credit:job", pk=job.pk)


def _visible_job(request, pk):
    job = selectors.job_by_id(pk)
    if job is None:
        raise Http404
    allowed, reason = can_view_job(request.actor, job)
    return job, (None if allowed else _forbidden(request, reason))


@login_required
def job(request, pk: int):
    found, refusal = _visible_job(request, pk)
    if refusal:
        return refusal
    context = {"job": found}
    if found.finished:
        if found.kind == JobKind.RESCREEN:
            context["page"] = _page(request, selectors.rescreen_hits(found), 50)
        elif found.kind == JobKind.BULK_SCREEN:
            context["page"] = _page(request, selectors.bulk_rows(found), 50)
    return render(request, "credit/job.html", context)


@login_required
def job_progress(request, pk: int):
    found, refusal = _visible_job(request, pk)
    if refusal:
        return refusal
    response = render(request, "credit/_job_progress.html", {"job": found})
    if found.finished and request.htmx:
        response["HX-Refresh"] = "true"  # show the results
    return response


@login_required
def job_results_csv(request, pk: int):
    found, refusal = _visible_job(request, pk)
    if refusal:
        return refusal
    if found.kind != JobKind.BULK_SCREEN:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening-{found.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["row", "reference", "name", "uscc", "decision", "blocked", "hits", "best_list", "best_name",
                     "best_score", "evidence", "error"])
    for row in selectors.bulk_rows(found).iterator():
        best = row.best or {}
        writer.writerow([row.row, row.query.get("reference", ""), row.query.get("name", ""), row.query.get("uscc", ""),
                         row.decision, row.blocked, row.hit_count, best.get("list", ""), best.get("name", ""),
                         best.get("score", ""), row.evidence_id or "", row.error])
    return response


@login_required
def bulk(request):
    if (refusal := _officer_only(request)) is not None:
        return refusal
    form = BulkScreenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = bulk_screen_start(actor=request.actor, upload=form.cleaned_data["file"],
                                        action=form.cleaned_data["action"], on=form.cleaned_data["on"])
            return redirect("credit:job", pk=started.pk)
        except ServiceError as exc:
            _show_error(request, exc, form)
    return render(request, "credit/bulk.html", {"form": form})


@login_required
def evidence_list(request):
    """The screenings of the officer's department (or, for anyone else logged in, their own)."""
    records = selectors.evidence_for(request.actor).select_related("organisation").order_by("-created_at")
    return render(request, "credit/evidence_list.html", {"page": _page(request, records, 50)})


@login_required
def repairs(request):
    if (refusal := _officer_only(request)) is not None:
        return refusal
    state = request.GET.get("state", "")
    applications = selectors.repairs_for_department(request.actor.department)
    if state in RepairState.values:
        applications = applications.filter(state=state)
    return render(request, "credit/repairs.html", {"page": _page(request, applications), "state": state,
                                                   "states": RepairState.choices})


@login_required
def repair_review(request, pk: int):
    return _repair_page(request, pk, "credit/repair_detail.html")
