"""Milestones as conditions of payment: the applicant reports a milestone reached (date and evidence), an officer
accepts it (or records it reached and accepted at once, `milestone_done`), and an officer links the milestones an
instalment waits for. `instalment_pay` then stops an instalment whose milestones are not all reported and
accepted, with the reason per milestone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.models import Instalment, InstalmentState, Milestone
from shuangchuang.programmes.permissions import ENTERPRISE_FILERS, can_act_as_applicant, can_officiate
from shuangchuang.programmes.services.common import notify


def milestone_report(*, actor: Actor, milestone: Milestone, done_on: datetime.date, evidence: str) -> Milestone:
    """The applicant reports a milestone reached; an officer must accept it before it counts for payment."""
    application = milestone.award.application
    require(can_act_as_applicant(actor, application))
    if not isinstance(done_on, datetime.date) or done_on > timezone.localdate():
        raise ServiceError("invalid_date", _("Give the date it was reached (not in the future)."), field="done_on")
    evidence = (evidence or "").strip()
    if not evidence:
        raise ServiceError("evidence_required", _("Say what shows the milestone is reached."), field="evidence")
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.accepted_at is not None:
            raise Conflict("already_accepted", _("This milestone is already accepted."))
        locked.done_on, locked.evidence = done_on, evidence[:5000]
        locked.reported_by, locked.reported_at = actor.label, timezone.now()
        locked.save()
        audit_record(actor=actor, verb="programmes.milestone_reported", obj=locked, object_label=locked.title,
                     department=application.call.programme.department, params={"on": done_on})
        transaction.on_commit(lambda: notify(
            actor=actor, organisation=application.call.programme.department, roles={"officer", "admin"},
            subject=_("%(ref)s: milestone reported reached: %(title)s") % {"ref": application.reference,
                                                                         "title": locked.title},
            url=f"/programmes/manage/applications/{application.pk}/"))
    return locked


def milestone_accept(*, actor: Actor, milestone: Milestone) -> Milestone:
    """An officer accepts a milestone the applicant reported reached."""
    application = milestone.award.application
    require(can_officiate(actor, application))
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.done_on is None:
            raise Conflict("not_reported", _("The milestone is not reported reached yet."))
        if locked.accepted_at is not None:
            raise Conflict("already_accepted", _("This milestone is already accepted."))
        locked.accepted_by, locked.accepted_at = actor.label, timezone.now()
        locked.save()
        audit_record(actor=actor, verb="programmes.milestone_accepted", obj=locked, object_label=locked.title,
                     department=application.call.programme.department, params={"done_on": locked.done_on})
        transaction.on_commit(lambda: notify(
            actor=actor, organisation=application.organisation, roles=ENTERPRISE_FILERS,
            subject=_("%(ref)s: milestone accepted: %(title)s") % {"ref": application.reference,
                                                                 "title": locked.title},
            url=f"/programmes/applications/{application.pk}/"))
    return locked


def instalment_milestones_set(*, actor: Actor, instalment: Instalment, milestones: list[Milestone]) -> Instalment:
    """Link the milestones an instalment waits for (replacing the previous set); only before it is paid."""
    application = instalment.award.application
    require(can_officiate(actor, application))
    if any(m.award_id != instalment.award_id for m in milestones):
        raise ServiceError("foreign_milestone", _("A milestone of another award cannot be linked."),
                           field="milestones")
    with transaction.atomic():
        locked = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if locked.state not in (InstalmentState.PLANNED, InstalmentState.STOPPED):
            raise Conflict("wrong_state", _("This instalment is %(state)s.") % {"state": locked.get_state_display()})
        before = sorted(locked.required_milestones.values_list("pk", flat=True))
        locked.required_milestones.set(milestones)
        audit_record(actor=actor, verb="programmes.instalment_milestones_set", obj=locked,
                     object_label=f"{application.reference} #{locked.seq}",
                     department=application.call.programme.department,
                     params={"before": before, "after": sorted(m.pk for m in milestones)})
    return locked


def milestone_reasons(instalment: Instalment) -> list[str]:
    """Why the instalment's milestones do not allow payment yet ([] when they do)."""
    required = list(instalment.required_milestones.all())
    if instalment.milestone_id and all(m.pk != instalment.milestone_id for m in required):
        required.append(instalment.milestone)
    reasons = []
    for milestone in sorted(required, key=lambda m: (m.due_on, m.pk)):
        if milestone.done_on is None:
            reasons.append(_("The milestone %(title)s is not reported reached.") % {"title": milestone.title})
        elif milestone.accepted_at is None:
            reasons.append(_("The milestone %(title)s is reported reached on %(on)s but not yet accepted.")
                           % {"title": milestone.title, "on": milestone.done_on.isoformat()})
    return reasons
