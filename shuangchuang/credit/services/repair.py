"""Credit repair (信用修复, 深圳经济特区社会信用条例): the listed party applies after the minimum publicity
period with evidence; the issuing department reviews; on approval the entry leaves publicity as the list's rule
says and its history is kept. Every step is audited and notified.

The workflow is one table (REPAIR_WORKFLOW) and one transition function (repair_transition).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.files import DOCUMENT_TYPES, validate_upload
from shuangchuang.core.services import notification_send
from shuangchuang.core.workflow import Transition
from shuangchuang.credit import selectors
from shuangchuang.credit.models import (
    EntryStatus,
    ListEntry,
    RepairApplication,
    RepairDocument,
    RepairState,
    RepairStep,
)
from shuangchuang.credit.permissions import can_act_as_applicant, can_apply_repair, can_review_repair
from shuangchuang.credit.services.common import add_months, members_of
from shuangchuang.credit.services.lists import _remove

MAX_DOCUMENTS = 10


REPAIR_WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("request_info", gettext_lazy("Ask for more information"), frozenset({RepairState.SUBMITTED}),
               RepairState.INFO_REQUESTED, "department", note_required=True),
    Transition("resubmit", gettext_lazy("Send the information"), frozenset({RepairState.INFO_REQUESTED}),
               RepairState.SUBMITTED, "applicant", note_required=True),
    Transition("approve", gettext_lazy("Approve the repair"), frozenset({RepairState.SUBMITTED}),
               RepairState.APPROVED, "department"),
    Transition("reject", gettext_lazy("Reject the application"), frozenset({RepairState.SUBMITTED}),
               RepairState.REJECTED, "department", note_required=True),
    Transition("withdraw", gettext_lazy("Withdraw the application"),
               frozenset({RepairState.SUBMITTED, RepairState.INFO_REQUESTED}), RepairState.WITHDRAWN, "applicant"),
)}


def transitions_for(actor: Actor, application: RepairApplication) -> list[Transition]:
    """The transitions this actor may trigger now (for showing buttons)."""
    allowed = []
    for transition in REPAIR_WORKFLOW.values():
        if application.state not in transition.sources:
            continue
        check = can_review_repair if transition.by == "department" else can_act_as_applicant
        if check(actor, application)[0]:
            allowed.append(transition)
    return allowed


def repair_eligibility(entry: ListEntry, on: datetime.date | None = None) -> tuple[bool, str]:
    """Whether the rules of the list allow a repair application for this entry today (not who may apply)."""
    on = on or timezone.localdate()
    credit_list = entry.credit_list
    if entry.status != EntryStatus.ACTIVE:
        return False, _("Only an entry that is listed can be repaired.")
    if not credit_list.repair_allowed:
        return False, _("The rules of this list do not provide for credit repair. %(rules)s") % {
            "rules": credit_list.removal_rules}
    earliest = add_months(entry.listed_on, credit_list.repair_min_months or 0)
    if on < earliest:
        return False, _("Repair can be applied for from %(date)s, after the minimum publicity period.") % {
            "date": earliest.isoformat()}
    if selectors.open_repair_for(entry) is not None:
        return False, _("An application for this entry is already being reviewed.")
    return True, ""


def _store_documents(application: RepairApplication, uploads) -> list[RepairDocument]:
    documents = []
    for upload in uploads:
        try:
            content_type = validate_upload(upload, allowed_types=DOCUMENT_TYPES)
        except ValidationError as exc:
            raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field="documents") \
                from exc
        upload.seek(0)
        documents.append(RepairDocument.objects.create(
            application=application, file=upload, original_name=(getattr(upload, "name", "") or "document")[:200],
            content_type=content_type, size=upload.size,
        ))
    return documents


def _officers(entry: ListEntry):
    return members_of(entry.credit_list.department, roles={"officer", "admin"})


def _applicants(application: RepairApplication):
    people = {application.applicant_id: application.applicant}
    if application.organisation_id:
        for user in members_of(application.organisation, roles={"legal_rep", "admin"}):
            people[user.pk] = user
    return list(people.values())


def repair_apply(*, actor: Actor, entry: ListEntry, statement: str, documents=()) -> RepairApplication:
    require(can_apply_repair(actor, entry))
    allowed, reason = repair_eligibility(entry)
    if not allowed:
        raise Conflict("repair_not_possible", reason)
    statement = (statement or "").strip()
    if not statement:
        raise ServiceError("statement_required", _("Say how the party has corrected what led to the listing."),
                           field="statement")
    documents = list(documents)
    if not documents:
        raise ServiceError("evidence_required", _("Attach the evidence (PDF, PNG or JPEG)."), field="documents")
    if len(documents) > MAX_DOCUMENTS:
        raise ServiceError("too_many_documents", _("Attach at most %(n)d files.") % {"n": MAX_DOCUMENTS},
                           field="documents")
    with transaction.atomic():
        application = RepairApplication.objects.create(
            entry=entry, entry_version=entry.version, applicant=actor.user,
            organisation=actor.organisation if entry.subject_type != "person" else None, statement=statement,
        )
        stored = _store_documents(application, documents)
        RepairStep.objects.create(application=application, transition="submit", to_state=RepairState.SUBMITTED,
                                  note=statement[:2000], actor_label=actor.label)
        audit_record(actor=actor, verb="credit.repair_applied", obj=application, object_label=entry.name[:200],
                     department=entry.credit_list.department,
                     params={"entry": entry.pk, "list": entry.credit_list.code, "documents": len(stored)})
        officers = _officers(entry)
        if officers:
            notification_send(
                actor=actor, recipients=officers, organisation=entry.credit_list.department,
                url=f"/credit/manage/repairs/{application.pk}/",
                subject=_("Credit repair application: %(name)s") % {"name": entry.name},
                body=_("%(name)s applied for repair of its entry on %(list)s.") % {"name": entry.name,
                                                                                   "list": entry.credit_list.name},
            )
    return application


def repair_transition(*, actor: Actor, application: RepairApplication, transition: str, note: str = "",
                      documents=()) -> RepairApplication:
    step = REPAIR_WORKFLOW.get(transition)
    if step is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    check = can_review_repair if step.by == "department" else can_act_as_applicant
    require(check(actor, application))
    note = (note or "").strip()
    if step.note_required and not note:
        raise ServiceError("note_required", _("Write a note for the other side."), field="note")
    entry = application.entry
    with transaction.atomic():
        application = RepairApplication.objects.select_for_update(of=("self",)).select_related(
            "entry", "entry__credit_list", "entry__credit_list__department", "applicant", "organisation",
        ).get(pk=application.pk)
        if application.state not in step.sources:
            raise Conflict("wrong_state", _("This application is %(state)s; that step is not possible now.")
                           % {"state": application.get_state_display()})
        entry = application.entry
        changed = entry.status != EntryStatus.ACTIVE or entry.version != application.entry_version
        if step.name == "approve" and changed:
            raise Conflict("entry_changed", _("The entry changed after the application; ask for the information "
                                              "again or reject."))
        stored = _store_documents(application, documents) if documents else []
        from_state = application.state
        application.state = step.target
        if step.by == "department":
            application.decision_note = note
            if step.target in (RepairState.APPROVED, RepairState.REJECTED):
                application.decided_at = timezone.now()
        application.save()
        RepairStep.objects.create(application=application, transition=step.name, from_state=from_state,
                                  to_state=step.target, note=note[:2000], actor_label=actor.label)
        if step.name == "approve":
            _remove(actor=actor, entry=entry, on=timezone.localdate(), status=EntryStatus.REPAIRED,
                    reason=_("Credit repair approved (application %(n)d).") % {"n": application.pk},
                    hide=entry.credit_list.repair_hides_entry)
        audit_record(actor=actor, verb=f"credit.repair_{step.name}", obj=application, object_label=entry.name[:200],
                     department=entry.credit_list.department,
                     params={"from": from_state, "to": step.target, "note": note[:500], "documents": len(stored),
                             "entry": entry.pk})
        if step.by == "department":
            recipients, url = _applicants(application), f"/credit/my/repairs/{application.pk}/"
        else:
            recipients, url = _officers(entry), f"/credit/manage/repairs/{application.pk}/"
        if recipients:
            notification_send(
                actor=actor, recipients=recipients, url=url,
                subject=_("Credit repair of %(name)s: %(state)s") % {"name": entry.name,
                                                                    "state": application.get_state_display()},
                body=note or str(step.label),
            )
    return application
