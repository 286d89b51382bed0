"""Public credit pages: search, lists, an enterprise's record, screening and its evidence, the import format."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.core.pages import show_error
from shuangchuang.credit import presenters, selectors
from shuangchuang.credit.forms import AdjudicateForm, ScreenForm
from shuangchuang.credit.importing import ALIASES, COLUMNS
from shuangchuang.credit.models import Action
from shuangchuang.credit.permissions import can_see_who_screened, can_view_evidence, is_officer
from shuangchuang.credit.ratelimit import check_screening_rate, client_address
from shuangchuang.credit.services import Party, adjudication_record, screening_run
from shuangchuang.credit.views.common import forbidden, page_of
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_search


@reads_from_replica
def index(request):
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q}
    if q:
        context["enterprises"] = list(enterprise_search(q)[:10])
        context["page"] = page_of(request, selectors.entry_search(q))
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
    page = page_of(request, selectors.entries_of_list(credit_list, q=q))
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
            show_error(request, exc, form)
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
        return forbidden(request, reason)
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
