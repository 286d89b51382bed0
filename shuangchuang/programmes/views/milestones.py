"""Milestones as payment conditions: the applicant reports one reached; an officer accepts it and links the
milestones each instalment waits for."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.programmes.models import Instalment, Milestone
from shuangchuang.programmes.services import instalment_milestones_set, milestone_accept, milestone_report
from shuangchuang.programmes.views.common import run_and_return



def _milestone(pk: int, milestone_id: int) -> Milestone:
    found = Milestone.objects.select_related("award__application").filter(
        pk=milestone_id, award__application__pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def report(request, pk: int, milestone_id: int):
    milestone = _milestone(pk, milestone_id)
    try:
        done_on = datetime.date.fromisoformat(request.POST.get("done_on", "").strip())
    except ValueError:
        done_on = None

    def run():
        milestone_report(actor=request.actor, milestone=milestone, done_on=done_on,
                         evidence=request.POST.get("evidence", ""))
        return _("The milestone is reported; the department will check it.")
    return run_and_return(request, run, "programmes:application", pk)


@login_required
@require_POST
def accept(request, pk: int, milestone_id: int):
    milestone = _milestone(pk, milestone_id)

    def run():
        milestone_accept(actor=request.actor, milestone=milestone)
        return _("The milestone is accepted.")
    return run_and_return(request, run, "programmes:manage_application", pk)


@login_required
@require_POST
def link(request, pk: int, instalment_id: int):
    instalment = Instalment.objects.select_related("award__application").filter(
        pk=instalment_id, award__application__pk=pk).first()
    if instalment is None:
        raise Http404
    ids = [int(v) for v in request.POST.getlist("milestones") if v.isdigit()]
    chosen = list(Milestone.objects.filter(pk__in=[i for i in ids if i < 2**63]))  # larger: no such row
    if len(chosen) != len(set(ids)):
        raise Http404

    def run():
        instalment_milestones_set(actor=request.actor, instalment=instalment, milestones=chosen)
        return _("The milestones of instalment %(n)d are set.") % {"n": instalment.seq}
    return run_and_return(request, run, "programmes:manage_application", pk)
