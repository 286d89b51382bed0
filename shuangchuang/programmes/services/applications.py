"""Applying: a draft with its answers and files, and the application workflow.

The workflow is ONE table (WORKFLOW: transition → sources, target, who) and ONE function
(`application_transition`). Every transition locks the application (SELECT … FOR UPDATE), checks the state
again under the lock — so two concurrent decisions cannot both succeed — checks permission and the step's
gates, writes the step and the audit event in the same transaction and notifies the other side after commit.
"""

from __future__ import annotations


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotFound, ServiceError, require
from shuangchuang.core.files import DOCUMENT_TYPES, validate_upload
from shuangchuang.core.workflow import Transition
from shuangchuang.programmes.formschema import clean_answers, missing_files
from shuangchuang.programmes.models import Application, ApplicationFile, ApplicationStep, Call, State
from shuangchuang.programmes.permissions import (
    ENTERPRISE_FILERS,
    can_act_as_applicant,
    can_apply,
    can_officiate,
)
from shuangchuang.programmes.services import checks
from shuangchuang.programmes.services.common import notify
from shuangchuang.registry.selectors import enterprise_for_organisation

MAX_FILES = 30
APPLICANT, OFFICER = "applicant", "officer"


class FormErrors(ServiceError):
    """Answers that do not fit the form; `errors` maps each field key to its message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors.items()))
        super().__init__("invalid_answers", _("Check the answers: %(field)s — %(message)s")
                         % {"field": first[0], "message": first[1]}, field=first[0])
        self.errors = errors


WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("submit", gettext_lazy("Submit the application"), frozenset({State.DRAFT}), State.SUBMITTED, APPLICANT),
    Transition("request_info", gettext_lazy("Ask for more information"), frozenset({State.SUBMITTED}),
               State.INFO_REQUESTED, OFFICER, note_required=True, stage="formal_check"),
    Transition("respond", gettext_lazy("Send the information"), frozenset({State.INFO_REQUESTED}), State.SUBMITTED,
               APPLICANT, note_required=True),
    Transition("withdraw", gettext_lazy("Withdraw the application"),
               frozenset({State.DRAFT, State.SUBMITTED, State.INFO_REQUESTED}), State.WITHDRAWN, APPLICANT),
    Transition("accept", gettext_lazy("Pass the formal screening"), frozenset({State.SUBMITTED}), State.REVIEW,
               OFFICER),
    Transition("close_review", gettext_lazy("Close the expert review"), frozenset({State.REVIEW}), State.REVIEWED,
               OFFICER, stage="expert_review"),
    Transition("propose", gettext_lazy("Propose for award"), frozenset({State.REVIEWED}), State.PROPOSED, OFFICER),
    Transition("publicise", gettext_lazy("Put in the public notice"), frozenset({State.PROPOSED}), State.PUBLICITY,
               OFFICER, stage="publicity"),
    Transition("award", gettext_lazy("Decide the award"), frozenset({State.PROPOSED, State.PUBLICITY}),
               State.AWARDED, OFFICER),
    Transition("reject", gettext_lazy("Decide not to fund"),
               frozenset({State.SUBMITTED, State.REVIEW, State.REVIEWED, State.PROPOSED, State.PUBLICITY}),
               State.REJECTED, OFFICER, note_required=True),
    Transition("complete", gettext_lazy("Close as completed"), frozenset({State.AWARDED}), State.COMPLETED, OFFICER),
    Transition("terminate", gettext_lazy("Terminate the award"), frozenset({State.AWARDED}), State.TERMINATED,
               OFFICER, note_required=True),
    # innovative industrial space: taken by the applicant's acceptance of a lease offer (services.space), which
    # records the lease first; refused without an accepted lease, and no button of its own
    Transition("lease_taken", gettext_lazy("Take up the lease"), frozenset({State.AWARDED}), State.COMPLETED,
               APPLICANT, stage="lease"),
)}
HIDDEN = frozenset({"publicise", "lease_taken"})  # steps taken by another action, not by a button


def _permission(actor: Actor, application: Application, step: Transition):
    return can_officiate(actor, application) if step.by == OFFICER else can_act_as_applicant(actor, application)


def _stage_allows(step: Transition, application: Application) -> bool:
    call = application.call
    if step.stage == "lease":
        return call.mechanism == "space_lease"
    if step.stage and not call.uses(step.stage):
        return False
    if step.name == "award" and application.state == State.PROPOSED and call.uses("publicity"):
        return False
    return True


def transitions_for(actor: Actor, application: Application) -> list[Transition]:
    """The steps this actor may take now (for buttons)."""
    return [t for t in WORKFLOW.values()
            if application.state in t.sources and _stage_allows(t, application)
            and _permission(actor, application, t)[0] and t.name not in HIDDEN]


# ---- drafts ----------------------------------------------------------------------------------------------------

def _clean_project(project_title: str, project_key: str, requested_fen) -> tuple[str, str, int]:
    title = (project_title or "").strip()
    if not title:
        raise ServiceError("project_title_required", _("Give the project a title."), field="project_title")
    if len(title) > 200:
        raise ServiceError("project_title_too_long", _("At most 200 characters."), field="project_title")
    key = "".join((project_key or "").split()).upper()[:120]
    if isinstance(requested_fen, bool) or not isinstance(requested_fen, int) or requested_fen <= 0:
        raise ServiceError("invalid_amount", _("Give the amount requested, more than zero."), field="requested_fen")
    return title, key, requested_fen


def application_create(*, actor: Actor, call: Call, project_title: str, requested_fen: int,
                       project_key: str = "", answers: dict | None = None) -> Application:
    """Start a draft for the enterprise the actor acts for (the call must be open)."""
    require(can_apply(actor, call))
    if not call.is_open():
        raise Conflict("call_closed", _("This call is not open for applications now."))
    if call.person_applicants:  # a natural person applies for himself or herself
        organisation, enterprise, person = None, None, actor.user
    else:
        organisation, enterprise, person = actor.organisation, enterprise_for_organisation(actor.organisation), None
        if enterprise is None:
            raise Conflict("not_registered", _("The enterprise is not in the register; it cannot apply."))
    title, key, requested_fen = _clean_project(project_title, project_key, requested_fen)
    cleaned, errors = clean_answers(call.form_schema, answers or {}, complete=False)
    if errors:
        raise FormErrors(errors)
    with transaction.atomic():
        application = Application.objects.create(
            call=call, organisation=organisation, enterprise=enterprise, person=person, created_by=actor.user,
            project_title=title, project_key=key, requested_fen=requested_fen, answers=cleaned,
            state_changed_at=timezone.now())
        ApplicationStep.objects.create(application=application, transition="create", to_state=State.DRAFT,
                                       actor_label=actor.label)
        audit_record(actor=actor, verb="programmes.application_created", obj=application,
                     department=call.programme.department, params={"call": call.pk, "requested_fen": requested_fen})
    return application


def application_save(*, actor: Actor, application: Application, answers: dict, project_title: str | None = None,
                     project_key: str | None = None, requested_fen: int | None = None) -> Application:
    """Save a draft (or the answers while more information is requested); nothing is required yet."""
    require(can_act_as_applicant(actor, application))
    if application.state not in (State.DRAFT, State.INFO_REQUESTED):
        raise Conflict("not_editable", _("Only a draft or an application asked for more information can change."))
    title, key, amount = _clean_project(
        application.project_title if project_title is None else project_title,
        application.project_key if project_key is None else project_key,
        application.requested_fen if requested_fen is None else requested_fen)
    cleaned, errors = clean_answers(application.call.form_schema, answers, complete=False)
    if errors:
        raise FormErrors(errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in (State.DRAFT, State.INFO_REQUESTED):
            raise Conflict("not_editable", _("Only a draft or an application asked for more information can change."))
        application.answers, application.project_title = cleaned, title
        application.project_key, application.requested_fen = key, amount
        application.save()
        audit_record(actor=actor, verb="programmes.application_saved", obj=application,
                     department=application.call.programme.department, params={"fields": sorted(cleaned)})
    return application


def _slot_rules(call: Call, slot: str) -> tuple[frozenset, int | None]:
    for field in (call.form_schema or {}).get("fields", []):
        if field["key"] == slot and field["type"] == "file":
            return frozenset(field.get("types") or DOCUMENT_TYPES), field.get("max_bytes")
    for item in call.attachments or []:
        if item["key"] == slot:
            return DOCUMENT_TYPES, None
    raise NotFound("unknown_slot", _("This form has no file field %(slot)s.") % {"slot": slot})


def application_file_add(*, actor: Actor, application: Application, slot: str, upload) -> ApplicationFile:
    """Attach a file to a file field or a required attachment (checked for size and real type)."""
    require(can_act_as_applicant(actor, application))
    if application.state not in (State.DRAFT, State.INFO_REQUESTED):
        raise Conflict("not_editable", _("Only a draft or an application asked for more information can change."))
    types, max_bytes = _slot_rules(application.call, slot)
    try:
        content_type = validate_upload(upload, allowed_types=types, max_bytes=max_bytes)
    except ValidationError as exc:
        raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field=slot) from exc
    if application.files.count() >= MAX_FILES:
        raise ServiceError("too_many_files", _("At most %(n)d files per application.") % {"n": MAX_FILES}, field=slot)
    upload.seek(0)
    with transaction.atomic():
        stored = ApplicationFile.objects.create(
            application=application, slot=slot, file=upload, content_type=content_type, size=upload.size,
            original_name=(getattr(upload, "name", "") or "file")[:200])
        audit_record(actor=actor, verb="programmes.file_added", obj=application,
                     department=application.call.programme.department,
                     params={"slot": slot, "name": stored.original_name, "size": stored.size, "type": content_type})
    return stored


def application_file_remove(*, actor: Actor, stored: ApplicationFile) -> None:
    application = stored.application
    require(can_act_as_applicant(actor, application))
    if application.state not in (State.DRAFT, State.INFO_REQUESTED):
        raise Conflict("not_editable", _("Only a draft or an application asked for more information can change."))
    with transaction.atomic():
        audit_record(actor=actor, verb="programmes.file_removed", obj=application,
                     department=application.call.programme.department,
                     params={"slot": stored.slot, "name": stored.original_name})
        stored.delete()


# ---- the transition function -----------------------------------------------------------------------------------

def _check_complete(application: Application) -> None:
    call = application.call
    cleaned, errors = clean_answers(call.form_schema, application.answers, complete=True)
    if errors:
        raise FormErrors(errors)
    slots = set(application.files.values_list("slot", flat=True))
    missing = missing_files(call.form_schema, call.attachments, application.answers, slots)
    if missing:
        raise ServiceError("files_missing", _("Attach: %(labels)s.") % {"labels": "; ".join(missing)},
                           field="files")


def _pre_checks(application: Application, step: Transition, amount_fen: int | None) -> dict:
    """Gates that read other modules and the ledger; credit screening runs here, outside the transaction, so its
    evidence stays even when the step is refused."""
    found: dict = {}
    call, enterprise = application.call, application.enterprise
    if step.name in ("submit", "respond"):
        if step.name == "submit" and not call.is_open():
            raise Conflict("call_closed", _("This call is not open for applications now."))
        _check_complete(application)
        checks.refuse_bad_person_id(application)
        if application.by_person:
            found["eligibility"] = checks.refuse_person_ineligible(application)
            found["employer"] = checks.employer_of(application)
            checks.refuse_person_over_cap(application, application.requested_fen)
        else:
            checks.refuse_not_operating(enterprise)
            found["eligibility"] = checks.refuse_ineligible(call, enterprise)
            checks.refuse_over_cap(call, enterprise, application.requested_fen)
        checks.refuse_over_max(call, application.requested_fen, application.answers)
        checks.refuse_double_funding(application)
    if step.name in ("submit", "award"):
        if step.name == "award" and not application.by_person:
            checks.refuse_not_operating(enterprise)
            amount = application.proposed_fen or 0
            checks.refuse_over_cap(call, enterprise, amount)
        if step.name == "award":
            checks.refuse_double_funding(application, at_decision=True)
            checks.refuse_person_over_cap(application, application.proposed_fen or 0)
        outcome = checks.screen(application, enterprise, screen_rep=call.programme.screen_legal_representative)
        found["screening"] = outcome
        if outcome.blocked:
            raise Conflict("credit_blocked", checks.screening_message(outcome))
    if step.name == "lease_taken" and not application.leases.exists():
        raise Conflict("no_lease", _("The lease is taken up by accepting a lease offer."))
    if step.name == "propose":
        amount = amount_fen if amount_fen is not None else application.proposed_fen
        if amount is None or isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ServiceError("amount_required", _("Give the amount proposed."), field="amount_fen")
        if amount > application.requested_fen:
            raise ServiceError("over_request", _("The award cannot exceed the amount requested."), field="amount_fen")
        checks.refuse_over_max(call, amount, application.answers)
        checks.refuse_over_interest_subsidy(application, amount)
        if not application.by_person:
            checks.refuse_over_cap(call, enterprise, amount)
        checks.refuse_person_over_cap(application, amount)
        found["amount"] = amount
    return found


def _locked_checks(application: Application, step: Transition, found: dict) -> None:
    """Gates that must hold under the lock (budget, objections, reviews)."""
    from shuangchuang.programmes.selectors.calls import committed_fen

    call = application.call
    if step.name == "propose":
        committed = committed_fen(call, exclude=application.pk)
        if committed + found["amount"] > call.budget_fen:
            raise Conflict("over_budget", _("The budget of the call would be exceeded (%(left)s yuan left).")
                           % {"left": checks.fen_text(call.budget_fen - committed)})
    if step.name == "close_review":
        if not application.assignments.filter(submitted_at__isnull=False).exists():
            raise Conflict("no_reviews", _("No expert has submitted a review yet."))
    if step.name == "award" and application.state == State.PUBLICITY:
        from shuangchuang.programmes.selectors.publicity import publicity_blockers

        reason = publicity_blockers(application)
        if reason:
            raise Conflict("publicity_open", reason)


def application_transition(*, actor: Actor, application: Application, transition: str, note: str = "",
                           amount_fen: int | None = None) -> Application:
    step = WORKFLOW.get(transition)
    if step is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    require(_permission(actor, application, step))
    note = (note or "").strip()
    if step.note_required and not note:
        raise ServiceError("note_required", _("Write a note for the other side."), field="note")
    if application.state not in step.sources or not _stage_allows(step, application):
        raise Conflict("wrong_state", _("This application is %(state)s; that step is not possible now.")
                       % {"state": application.get_state_display()})
    found = _pre_checks(application, step, amount_fen)
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related(
            "call", "call__programme", "call__programme__department", "enterprise", "organisation", "person",
        ).get(pk=application.pk)
        if locked.state not in step.sources or not _stage_allows(step, locked):
            raise Conflict("wrong_state", _("This application is %(state)s; that step is not possible now.")
                           % {"state": locked.get_state_display()})
        _locked_checks(locked, step, found)
        from_state, now = locked.state, timezone.now()
        target = step.target
        if step.name == "accept" and not locked.call.uses("expert_review"):
            target = State.REVIEWED
        locked.state, locked.state_changed_at = target, now
        if step.name == "submit":
            locked.submitted_at = now
        if "eligibility" in found:
            locked.eligibility = found["eligibility"]
        if "employer" in found:
            locked.employer = found["employer"]
        if "screening" in found:
            locked.screening_evidence = found["screening"].evidence_id
            locked.screening_evidence_rep = found["screening"].rep_evidence_id
            locked.screening_evidence_person = found["screening"].person_evidence_id
        if step.name == "request_info":
            locked.info_request = note
        if step.name == "propose":
            locked.proposed_fen = found["amount"]
        if step.name == "close_review":
            from shuangchuang.programmes.services.review import aggregate_one

            aggregate_one(locked)
        if step.by == OFFICER and target in (State.AWARDED, State.REJECTED, State.TERMINATED, State.COMPLETED):
            locked.decided_at, locked.decision_note = now, note
        locked.save()
        ApplicationStep.objects.create(application=locked, transition=step.name, from_state=from_state,
                                       to_state=target, note=note[:4000], actor_label=actor.label)
        params = {"from": from_state, "to": target, "note": note[:500]}
        if "screening" in found:
            params["screening_evidence"] = found["screening"].evidence_id
        if amount_fen is not None or step.name == "propose":
            params["amount_fen"] = locked.proposed_fen
        audit_record(actor=actor, verb=f"programmes.application_{step.name}", obj=locked,
                     department=locked.call.programme.department, params=params)
        if step.name == "award":
            from shuangchuang.programmes.services.awards import award_create

            award_create(actor=actor, application=locked)
        if step.name == "terminate":
            from shuangchuang.programmes.models import InstalmentState

            if hasattr(locked, "award"):
                locked.award.instalments.filter(state=InstalmentState.PLANNED).update(
                    state=InstalmentState.CANCELLED)
        _notify(actor, locked, step, note)
    return locked


def _notify(actor: Actor, application: Application, step: Transition, note: str) -> None:
    subject = _("%(ref)s %(title)s: %(state)s") % {"ref": application.reference, "title": application.project_title,
                                                   "state": application.get_state_display()}
    if step.by == OFFICER and application.by_person:
        from shuangchuang.core.services import notification_send

        notification_send(actor=actor, recipients=[application.person], subject=subject,
                          body=note or str(step.label), url=f"/programmes/applications/{application.pk}/")
    elif step.by == OFFICER:
        notify(actor=actor, organisation=application.organisation, roles=ENTERPRISE_FILERS, subject=subject,
               body=note or str(step.label), url=f"/programmes/applications/{application.pk}/")
    elif step.name in ("submit", "respond"):
        notify(actor=actor, organisation=application.call.programme.department, roles={"officer", "admin"},
               subject=subject, body=note or str(step.label),
               url=f"/programmes/manage/applications/{application.pk}/")
