"""Officers' credit pages: lists, entries, restrictions, imports, re-screens and jobs, bulk screening, late filers,
repair review."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.pages import show_error
from shuangchuang.credit import presenters, selectors
from shuangchuang.credit.forms import BulkScreenForm, EntryForm, ListForm, RemoveEntryForm, RestrictionForm, UploadForm
from shuangchuang.credit.models import ImportStatus, JobKind, RepairState
from shuangchuang.credit.permissions import can_manage_list, can_view_job
from shuangchuang.credit.services import (
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
    rescreen_start,
    restriction_create,
    restriction_update,
)
from shuangchuang.credit.services.annual import abnormal_list
from shuangchuang.credit.views.common import forbidden, officer_only, page_of
from shuangchuang.credit.views.mine import _repair_page


@login_required
def manage(request):
    if (refusal := officer_only(request)) is not None:
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
    return credit_list, (None if allowed else forbidden(request, reason))


@login_required
def list_new(request):
    if (refusal := officer_only(request)) is not None:
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
            show_error(request, exc, form)
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
            show_error(request, exc, form)
    return render(request, "credit/list_form.html", {"form": form, "credit_list": credit_list})


@login_required
def list_manage(request, pk: int):
    credit_list, refusal = _managed_list(request, pk)
    if refusal:
        return refusal
    q = request.GET.get("q", "").strip()[:100]
    page = page_of(request, selectors.entries_of_list(credit_list, q=q, public_only=False, include_inactive=True))
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
            show_error(request, exc, form)
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
            show_error(request, exc, form)
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
            show_error(request, exc, form)
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
            show_error(request, exc, form)
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
        return forbidden(request, exc.message)
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
            show_error(request, exc, form)
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
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("credit:manage")
    return redirect("credit:job", pk=job.pk)


def _visible_job(request, pk):
    job = selectors.job_by_id(pk)
    if job is None:
        raise Http404
    allowed, reason = can_view_job(request.actor, job)
    return job, (None if allowed else forbidden(request, reason))


@login_required
def job(request, pk: int):
    found, refusal = _visible_job(request, pk)
    if refusal:
        return refusal
    context = {"job": found}
    if found.finished:
        if found.kind == JobKind.RESCREEN:
            context["page"] = page_of(request, selectors.rescreen_hits(found), 50)
        elif found.kind == JobKind.BULK_SCREEN:
            context["page"] = page_of(request, selectors.bulk_rows(found), 50)
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
    if (refusal := officer_only(request)) is not None:
        return refusal
    form = BulkScreenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = bulk_screen_start(actor=request.actor, upload=form.cleaned_data["file"],
                                        action=form.cleaned_data["action"], on=form.cleaned_data["on"])
            return redirect("credit:job", pk=started.pk)
        except ServiceError as exc:
            show_error(request, exc, form)
    return render(request, "credit/bulk.html", {"form": form})


@login_required
def evidence_list(request):
    """The screenings of the officer's department (or, for anyone else logged in, their own)."""
    records = selectors.evidence_for(request.actor).select_related("organisation").order_by("-created_at")
    return render(request, "credit/evidence_list.html", {"page": page_of(request, records, 50)})


@login_required
def repairs(request):
    if (refusal := officer_only(request)) is not None:
        return refusal
    state = request.GET.get("state", "")
    applications = selectors.repairs_for_department(request.actor.department)
    if state in RepairState.values:
        applications = applications.filter(state=state)
    return render(request, "credit/repairs.html", {"page": page_of(request, applications), "state": state,
                                                   "states": RepairState.choices})


@login_required
def repair_review(request, pk: int):
    return _repair_page(request, pk, "credit/repair_detail.html")
