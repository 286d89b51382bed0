"""Officers' pages: dashboard, calls (create, edit, publish, form builder), the applications list with filters and
export, one application with its steps, reviewers, site visits and award; ranking; public notice."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.programmes.forms import (
    CallForm,
    FieldBuilderForm,
    NoticeForm,
    ProgrammeForm,
    ResolveForm,
    TransitionForm,
    call_initial,
)
from shuangchuang.programmes.models import Instalment, Milestone, Objection, State
from shuangchuang.programmes.permissions import can_manage_call, can_officiate
from shuangchuang.programmes.selectors import calls as selectors
from shuangchuang.programmes.selectors.dashboard import dashboard as dashboard_figures
from shuangchuang.programmes.selectors.ledger import ledger_for, support_total
from shuangchuang.programmes.services import (
    agreement_sign,
    application_transition,
    call_create,
    call_form_update,
    call_publish,
    call_rank,
    call_update,
    clawback_record,
    evaluation_record,
    instalment_pay,
    kpi_add,
    milestone_done,
    notice_publish,
    objection_resolve,
    programme_create,
    reviewers_assign,
    site_visit_record,
    transitions_for,
)
from shuangchuang.programmes.services.common import fen_text
from shuangchuang.programmes.views.common import bars, forbidden, interest_working, officer_only, page_of, show_error



@login_required
def manage(request):
    refusal = officer_only(request)
    if refusal:
        return refusal
    department = request.actor.department
    figures = dashboard_figures(department)
    return render(request, "programmes/manage.html", {
        "department": department, "figures": figures, "state_bars": bars(figures["by_state"]),
        "stage_bars": bars([(label, days) for label, days, _n in figures["stage_days"]]),
        "calls": selectors.department_calls(department), "programmes": selectors.department_programmes(department),
        "excel": True,
    })


def _call_for_officer(request, pk: int):
    call = selectors.call_detail(pk)
    if call is None:
        raise Http404
    allowed, reason = can_manage_call(request.actor, call)
    return call, (None if allowed else forbidden(request, reason))


@login_required
def programme_new(request):
    refusal = officer_only(request)
    if refusal:
        return refusal
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            programme = programme_create(actor=request.actor, department=request.actor.department,
                                         code=values.pop("code"), name=values.pop("name"), **values)
            messages.success(request, _("The programme is created."))
            return redirect("programmes:call_new", programme_id=programme.pk)
        except ServiceError as exc:
            show_error(request, exc, form)
    return render(request, "programmes/programme_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def call_new(request, programme_id: int):
    refusal = officer_only(request)
    if refusal:
        return refusal
    programme = selectors.department_programmes(request.actor.department).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    form = CallForm(request.POST or None, initial={"year": timezone.localdate().year, "reviewers_per_application": 3,
                                                   "stages": ["formal_check", "expert_review", "committee"]})
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            call = call_create(actor=request.actor, programme=programme, **values)
            messages.success(request, _("The call is saved as a draft."))
            return redirect("programmes:call_manage", pk=call.pk)
        except ServiceError as exc:
            show_error(request, exc, form)
    return render(request, "programmes/call_form.html", {"form": form, "programme": programme},
                  status=400 if form.errors else 200)


@login_required
def call_manage(request, pk: int):
    call, refusal = _call_for_officer(request, pk)
    if refusal:
        return refusal
    form = CallForm(request.POST or None, initial=call_initial(call))
    if request.method == "POST":
        if request.POST.get("publish"):
            try:
                call_publish(actor=request.actor, call=call)
                messages.success(request, _("The call is published."))
                return redirect("programmes:call_manage", pk=pk)
            except ServiceError as exc:
                messages.error(request, exc.message)
        elif form.is_valid():
            try:
                call_update(actor=request.actor, call=call, **form.service_values())
                messages.success(request, _("The call is saved."))
                return redirect("programmes:call_manage", pk=pk)
            except ServiceError as exc:
                show_error(request, exc, form)
    from shuangchuang.policies.rules import describe
    from shuangchuang.policies.selectors.benefits import matching_count

    return render(request, "programmes/call_form.html", {
        "form": form, "call": call, "programme": call.programme, "rule_text": describe(call.rule),
        "matching": matching_count(call.rule or {"all": []})}, status=400 if form.errors else 200)


@login_required
def form_builder(request, pk: int):
    """Add, move and remove the fields of a call's application form; the schema is validated on save."""
    call, refusal = _call_for_officer(request, pk)
    if refusal:
        return refusal
    fields = list((call.form_schema or {}).get("fields", []))
    form = FieldBuilderForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        changed = None
        if action == "add" and form.is_valid():
            changed = fields + [form.field_spec()]
        elif action in ("remove", "up", "down"):
            keys = [f["key"] for f in fields]
            key = request.POST.get("key", "")
            if key in keys:
                i = keys.index(key)
                changed = list(fields)
                if action == "remove":
                    changed.pop(i)
                elif action == "up" and i > 0:
                    changed[i - 1], changed[i] = changed[i], changed[i - 1]
                elif action == "down" and i < len(changed) - 1:
                    changed[i + 1], changed[i] = changed[i], changed[i + 1]
        if changed is not None:
            try:
                call_form_update(actor=request.actor, call=call, form_schema={"fields": changed})
                messages.success(request, _("The form is saved."))
                return redirect("programmes:form_builder", pk=pk)
            except ServiceError as exc:
                if action == "add":
                    form.add_error(None, exc.message)
                else:
                    show_error(request, exc)
    from shuangchuang.programmes.forms import ApplicationForm

    preview = ApplicationForm(schema=call.form_schema)
    return render(request, "programmes/form_builder.html", {"call": call, "fields": fields, "form": form,
                                                            "preview": preview},
                  status=400 if form.errors else 200)


FILTERS = ("call", "state", "q", "ordering")


@login_required
def applications(request):
    refusal = officer_only(request)
    if refusal:
        return refusal
    department = request.actor.department
    call_id = request.GET.get("call", "")
    rows = selectors.officer_applications(
        department, call=int(call_id) if call_id.isdigit() else None, state=request.GET.get("state", ""),
        q=request.GET.get("q", "")[:100], ordering=request.GET.get("ordering", ""))
    export = request.GET.get("export")
    if export == "csv":
        return _csv(rows)
    if export == "xlsx":
        return _xlsx(rows)
    page = page_of(request, rows, 50)
    return render(request, "programmes/applications.html", {
        "page": page, "rows": selectors.with_names(page.object_list), "states": State.choices, "calls": selectors.department_calls(department),
        "filters": {k: request.GET.get(k, "") for k in FILTERS}, "excel": True,
        "query": "&".join(f"{k}={request.GET.get(k)}" for k in FILTERS if request.GET.get(k)),
    })


EXPORT_HEADER = ["reference", "call", "applicant", "uscc", "project", "requested_yuan", "proposed_yuan", "state",
                 "score", "rank", "submitted_at"]


def _export_rows(rows):
    states = dict(State.choices)
    rows = rows.values("call__title", "organisation__name", "enterprise__uscc", "person__full_name",
                       "person__username", *selectors.OFFICER_LIST_COLUMNS)
    for r in rows.iterator(chunk_size=2000):
        # a natural person applying (talent calls): the person's name; the export is for the department's
        # officers only (the public notice is the public page)
        applicant = r["organisation__name"] or r["person__full_name"] or r["person__username"] or ""
        yield [f"P{r['call_id']:04d}-{r['id']:06d}", r["call__title"], applicant, r["enterprise__uscc"] or "",
               r["project_title"], fen_text(r["requested_fen"]).replace(",", ""),
               fen_text(r["proposed_fen"]).replace(",", "") if r["proposed_fen"] is not None else "",
               str(states.get(r["state"], r["state"])), r["score"] if r["score"] is not None else "",
               r["rank"] or "",
               timezone.localtime(r["submitted_at"]).strftime("%Y-%m-%d %H:%M") if r["submitted_at"] else ""]


def _csv(rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    for row in _export_rows(rows):
        writer.writerow([_safe_cell(c) for c in row])
    return response


def _safe_cell(value):
    """Cells starting with = + - @ are not formulas in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _xlsx(rows):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("applications")
    sheet.append(EXPORT_HEADER)
    for row in _export_rows(rows):
        sheet.append([_safe_cell(str(c)) if not isinstance(c, (int, float)) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="applications.xlsx"'
    return response


def _officer_application(request, pk: int):
    application = selectors.application_detail(pk)
    if application is None:
        raise Http404
    allowed, reason = can_officiate(request.actor, application)
    return application, (None if allowed else forbidden(request, reason))


@login_required
def application(request, pk: int):
    application, refusal = _officer_application(request, pk)
    if refusal:
        return refusal
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application_transition(actor=request.actor, application=application, transition=data["transition"],
                                   note=data["note"], amount_fen=data["amount"])
            messages.success(request, _("Done."))
            return redirect("programmes:manage_application", pk=pk)
        except ServiceError as exc:
            show_error(request, exc)
            application = selectors.application_detail(pk)
    award = getattr(application, "award", None)
    from shuangchuang.programmes.views.applicant import _slots

    return render(request, "programmes/manage_application.html", {
        "application": application, "transitions": transitions_for(request.actor, application), "form": form,
        "steps": application.steps.all(), "assignments": application.assignments.select_related("reviewer"),
        "visits": application.site_visits.all(), "objections": application.objections.all(),
        "slots": _slots(application), "award": award,
        "instalments": award.instalments.all() if award else [], "milestones": award.milestones.all() if award else [],
        "kpis": award.kpis.all() if award else [], "reports": award.reports.all() if award else [],
        "clawbacks": award.clawbacks.all() if award else [], "resolve_form": ResolveForm(),
        "schema_fields": [f for f in (application.call.form_schema or {}).get("fields", []) if f["type"] != "file"],
        "today": timezone.localdate(),
        "ledger": ledger_for(enterprise=application.ledger_enterprise)[:50] if application.ledger_enterprise else [],
        "year_total": support_total(enterprise=application.ledger_enterprise, year=application.call.year)
        if application.ledger_enterprise else 0,
        "working": interest_working(request, application), "offers": application.lease_offers.select_related("lease"),
        "offerable": application.call.mechanism == "space_lease" and application.rank is not None,
    })



def _post_action(request, pk: int, run) -> HttpResponse:
    application, refusal = _officer_application(request, pk)
    if refusal:
        return refusal
    try:
        message = run(application)
        messages.success(request, message)
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    except (ValueError, KeyError, ValidationError, Milestone.DoesNotExist, Instalment.DoesNotExist,
            Objection.DoesNotExist):
        messages.error(request, _("Check the values entered."))
    return redirect("programmes:manage_application", pk=pk)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def assign(request, pk: int):
    return _post_action(request, pk, lambda a: (reviewers_assign(actor=request.actor, application=a),
                                                _("Reviewers are assigned."))[1])


@login_required
@require_POST
def site_visit(request, pk: int):
    def run(a):
        site_visit_record(actor=request.actor, application=a, visited_on=_date(request.POST.get("visited_on")),
                          visitors=request.POST.get("visitors", ""), findings=request.POST.get("findings", ""),
                          recommendation=request.POST.get("recommendation", ""))
        return _("The site visit is recorded.")
    return _post_action(request, pk, run)


@login_required
@require_POST
def agreement(request, pk: int):
    def run(a):
        milestones = []
        for line in request.POST.get("milestones", "").splitlines():
            if line.strip():
                due, _sep, title = line.strip().partition(" ")
                milestones.append({"due_on": due, "title": title})
        agreement_sign(actor=request.actor, award=a.award, terms=request.POST.get("terms", ""), milestones=milestones)
        return _("The agreement is recorded.")
    return _post_action(request, pk, run)


@login_required
@require_POST
def milestone(request, pk: int, milestone_id: int):
    def run(a):
        found = Milestone.objects.get(pk=milestone_id, award__application=a)
        milestone_done(actor=request.actor, milestone=found, done_on=_date(request.POST.get("done_on")),
                       evidence=request.POST.get("evidence", ""))
        return _("The milestone is recorded as reached.")
    return _post_action(request, pk, run)


@login_required
@require_POST
def pay(request, pk: int, instalment_id: int):
    def run(a):
        instalment = Instalment.objects.get(pk=instalment_id, award__application=a)
        instalment = instalment_pay(actor=request.actor, instalment=instalment)
        if instalment.state == "paid":
            return _("Instalment %(n)d is paid.") % {"n": instalment.seq}
        raise ServiceError("payment_stopped", _("Payment stopped: %(reasons)s") % {
            "reasons": " ".join(instalment.check_result.get("reasons", []))})
    return _post_action(request, pk, run)


@login_required
@require_POST
def evaluate(request, pk: int):
    def run(a):
        if request.POST.get("kpi_name"):
            kpi_add(actor=request.actor, award=a.award, name=request.POST["kpi_name"],
                    target=request.POST.get("kpi_target", ""), unit=request.POST.get("kpi_unit", ""))
            return _("The indicator is added.")
        if request.POST.get("clawback"):
            from shuangchuang.programmes.forms import yuan_to_fen

            clawback_record(actor=request.actor, award=a.award, amount_fen=yuan_to_fen(request.POST["clawback"]),
                            reason=request.POST.get("reason", ""))
            return _("The clawback is recorded.")
        evaluation_record(actor=request.actor, award=a.award, outcome=request.POST.get("outcome", ""),
                          note=request.POST.get("note", ""))
        return _("The evaluation is recorded.")
    return _post_action(request, pk, run)


@login_required
@require_POST
def resolve(request, pk: int, objection_id: int):
    def run(a):
        objection = Objection.objects.get(pk=objection_id, application=a)
        form = ResolveForm(request.POST)
        if not form.is_valid():
            raise ValueError
        objection_resolve(actor=request.actor, objection=objection, upheld=form.cleaned_data["upheld"],
                          resolution=form.cleaned_data["resolution"])
        return _("The objection is resolved.")
    return _post_action(request, pk, run)


@login_required
def ranking(request, pk: int):
    call, refusal = _call_for_officer(request, pk)
    if refusal:
        return refusal
    result = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "propose":
                count = 0
                for application in call.applications.filter(state=State.REVIEWED, proposed_fen__isnull=False):
                    application_transition(actor=request.actor, application=application, transition="propose",
                                           amount_fen=application.proposed_fen,
                                           note=_("Proposed by the committee in rank order."))
                    count += 1
                messages.success(request, _("%(n)d applications are proposed for award.") % {"n": count})
            else:
                result = call_rank(actor=request.actor, call=call)
                messages.success(request, _("%(n)d applications ranked; %(funded)d fit in the budget.")
                                 % {"n": result.ranked, "funded": result.funded})
            return redirect("programmes:ranking", pk=pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    ranked = (call.applications.filter(rank__isnull=False).select_related("organisation").order_by("rank")[:500])
    return render(request, "programmes/ranking.html", {
        "call": call, "ranked": ranked, "committed": selectors.committed_fen(call),
        "notice_form": NoticeForm(initial={"title": _("Public notice of the proposed awards: %(call)s")
                                           % {"call": call.title}}),
        "proposed": call.applications.filter(state=State.PROPOSED).count()})


@login_required
@require_POST
def notice_new(request, pk: int):
    call, refusal = _call_for_officer(request, pk)
    if refusal:
        return refusal
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = notice_publish(actor=request.actor, call=call, title=form.cleaned_data["title"],
                                    body=form.cleaned_data["body"])
            messages.success(request, _("The notice is published."))
            return redirect("programmes:notice", pk=notice.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("programmes:ranking", pk=pk)


