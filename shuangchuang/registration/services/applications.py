"""Establishment (设立登记) and change (变更登记) applications: filling in, the workflow, the officer's review.

The workflow is one table (APPLICATION_WORKFLOW: states, transitions, who) and one function
(application_transition). Submitting runs the completeness check (every correction at once) and the credit
screening of the shareholders (action "registration") and the legal representative (action
"legal_representative"); a barred person is refused with the basis, and the evidence ids are kept. Approval
issues the USCC, creates the enterprise and the licence (services.approval).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotFound, ServiceError, require
from shuangchuang.core.idnumber import validate_id_number
from shuangchuang.core.models import Organisation
from shuangchuang.core.services import notification_send
from shuangchuang.core.workflow import Transition
from shuangchuang.registration import checks, names_bridge, selectors
from shuangchuang.registration.models import (
    Application,
    ApplicationKind,
    ApplicationOfficer,
    ApplicationState,
    ApplicationStep,
    Custodian,
    OfficerPosition,
    Shareholder,
    ShareholderKind,
)
from shuangchuang.registration.permissions import (
    can_act_as_applicant,
    can_apply_establishment,
    can_apply_for_enterprise,
    can_edit_application,
    can_review_application,
)
from shuangchuang.registration.services.common import ScreenedParty, barred_message, check_fen, check_upload, \
    screen_parties
from shuangchuang.registry.models import District, Enterprise, IndustryDivision, LegalForm

S = ApplicationState
CHANGE_ITEMS = ("name", "address", "capital", "legal_representative", "scope")


@dataclass
class ShareholderData:
    name: str
    subscribed_capital_fen: int
    kind: str = ShareholderKind.PERSON
    id_number: str = ""
    uscc: str = ""


@dataclass
class OfficerData:
    position: str
    name: str
    id_number: str


@dataclass
class ApplicationData:
    """What an applicant fills in. For a change, `items` names what changes; the rest is taken from the register."""

    name: str = ""
    reservation_id: int | None = None
    legal_form: str = ""
    district: str = ""  # District key (GB/T 2260 code)
    address: str = ""
    custodian_id: int | None = None
    hosting_start: datetime.date | None = None
    hosting_end: datetime.date | None = None
    registered_capital_fen: int | None = None
    industry: str = ""  # GB/T 4754 division code
    scope_terms: list[str] = field(default_factory=list)
    legal_rep_name: str = ""
    legal_rep_id_number: str = ""
    shareholders: list[ShareholderData] = field(default_factory=list)
    officers: list[OfficerData] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    authority: str = ""  # department code; the city authority by default


# ---- the workflow table ---------------------------------------------------------------------------------

APPLICATION_WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("submit", gettext_lazy("Submit"), frozenset({S.DRAFT, S.CORRECTIONS_REQUESTED}), S.SUBMITTED,
               "applicant"),
    Transition("request_corrections", gettext_lazy("Ask for corrections"), frozenset({S.SUBMITTED, S.ACCEPTED}),
               S.CORRECTIONS_REQUESTED, "authority", note_required=True),
    Transition("accept", gettext_lazy("Accept for registration"), frozenset({S.SUBMITTED}), S.ACCEPTED, "authority"),
    Transition("approve", gettext_lazy("Register and issue the licence"), frozenset({S.SUBMITTED, S.ACCEPTED}),
               S.APPROVED, "authority"),
    Transition("reject", gettext_lazy("Refuse"), frozenset({S.SUBMITTED, S.ACCEPTED}), S.REJECTED, "authority",
               note_required=True),
    Transition("withdraw", gettext_lazy("Withdraw"), frozenset({S.DRAFT, S.SUBMITTED, S.CORRECTIONS_REQUESTED}),
               S.WITHDRAWN, "applicant"),
)}


def transitions_for(actor: Actor, application: Application) -> list[Transition]:
    allowed = []
    for transition in APPLICATION_WORKFLOW.values():
        if application.state not in transition.sources:
            continue
        check = can_review_application if transition.by == "authority" else can_act_as_applicant
        if check(actor, application)[0]:
            allowed.append(transition)
    return allowed


# ---- filling in ---------------------------------------------------------------------------------------------

def _authority(code: str) -> Organisation:
    authorities = selectors.authorities()
    found = authorities.filter(code=code).first() if code else authorities.first()
    if found is None:
        raise ServiceError("unknown_authority", _("Unknown registration authority."), field="authority")
    return found


def _lookup(model, key_field: str, value: str, field_name: str, message: str):
    if not value:
        return None
    found = model.objects.filter(**{key_field: value}).first()
    if found is None:
        raise ServiceError(f"unknown_{field_name}", message, field=field_name)
    return found


def _clean_id(value: str) -> str:
    """The compact ID number when it is valid; otherwise the text as given (the completeness check says why)."""
    value = "".join((value or "").split()).upper()[:18]
    try:
        return validate_id_number(value)
    except Exception:
        return value


def _fill(application: Application, data: ApplicationData) -> None:
    """Copy the applicant's data onto the (unsaved or editable) application; shape errors raise ServiceError."""
    if data.legal_form and data.legal_form not in LegalForm.values:
        raise ServiceError("invalid_legal_form", _("Unknown legal form."), field="legal_form")
    if data.registered_capital_fen is not None:
        check_fen(data.registered_capital_fen, "registered_capital_fen")
    for holder in data.shareholders:
        check_fen(holder.subscribed_capital_fen, "shareholders")
        if holder.kind not in ShareholderKind.values:
            raise ServiceError("invalid_shareholder_kind", _("Unknown kind of shareholder."), field="shareholders")
    for officer in data.officers:
        if officer.position not in OfficerPosition.values:
            raise ServiceError("invalid_position", _("Unknown position."), field="officers")
    if any(item not in CHANGE_ITEMS for item in data.items):
        raise ServiceError("invalid_item", _("Changeable items: %(items)s.") % {"items": ", ".join(CHANGE_ITEMS)},
                           field="items")
    custodian = None
    if data.custodian_id:
        custodian = Custodian.objects.filter(pk=data.custodian_id).first()
        if custodian is None:
            raise ServiceError("unknown_custodian", _("Unknown custodian firm."), field="custodian")
    application.name = " ".join((data.name or "").split())[:128]
    if data.reservation_id is not None and names_bridge.reservation(data.reservation_id) is None:
        raise ServiceError("unknown_reservation", _("The name reservation was not found."), field="reservation_id")
    application.reservation_id = data.reservation_id if names_bridge.available() else None
    if data.legal_form:
        application.legal_form = data.legal_form
    application.district = _lookup(District, "key", data.district, "district", _("Unknown district."))
    application.custodian = custodian
    application.address = custodian.annotated_address if custodian else " ".join(data.address.split())[:200]
    if custodian is not None and application.district is None:
        application.district = custodian.district
    application.hosting_start = data.hosting_start if custodian else None
    application.hosting_end = data.hosting_end if custodian else None
    application.registered_capital_fen = data.registered_capital_fen
    application.industry = _lookup(IndustryDivision, "code", data.industry, "industry", _("Unknown industry."))
    application.scope_terms = list(dict.fromkeys(str(c) for c in data.scope_terms))[:50]
    application.legal_rep_name = " ".join(data.legal_rep_name.split())[:64]
    application.legal_rep_id_number = _clean_id(data.legal_rep_id_number)


def _replace_parties(application: Application, data: ApplicationData) -> None:
    application.shareholders.all().delete()
    application.officers.all().delete()
    Shareholder.objects.bulk_create([
        Shareholder(application=application, kind=h.kind, name=" ".join(h.name.split())[:128],
                    id_number=_clean_id(h.id_number) if h.kind == ShareholderKind.PERSON else "",
                    uscc="".join(h.uscc.split()).upper()[:18] if h.kind == ShareholderKind.ENTERPRISE else "",
                    subscribed_capital_fen=h.subscribed_capital_fen)
        for h in data.shareholders[:50]])
    ApplicationOfficer.objects.bulk_create([
        ApplicationOfficer(application=application, position=o.position, name=" ".join(o.name.split())[:64],
                           id_number=_clean_id(o.id_number)) for o in data.officers[:30]])


def _store_articles(application: Application, articles) -> None:
    if articles is None:
        return
    application.articles_content_type = check_upload(articles, "articles")
    articles.seek(0)
    application.articles.save(f"articles-{application.pk}.pdf", articles, save=False)


def establishment_apply(*, actor: Actor, data: ApplicationData, articles=None) -> Application:
    """Start an establishment application (a draft the applicant completes and submits)."""
    require(can_apply_establishment(actor))
    authority = _authority(data.authority)
    application = Application(kind=ApplicationKind.ESTABLISHMENT, applicant=actor.user, authority=authority)
    _fill(application, data)
    if articles is not None:
        check_upload(articles, "articles")
    with transaction.atomic():
        application.save()
        _replace_parties(application, data)
        _store_articles(application, articles)
        application.save()
        audit_record(actor=actor, verb="registration.application_created", obj=application, department=authority,
                     params={"kind": application.kind, "name": application.name})
    return application


def _enterprise_values(enterprise: Enterprise) -> dict:
    from shuangchuang.registration.selectors import current_licence

    licence = current_licence(enterprise)
    return {
        "name": enterprise.name, "address": enterprise.address, "capital": enterprise.registered_capital_fen,
        "legal_representative": enterprise.legal_representative.name if enterprise.legal_representative_id else "",
        "scope": licence.scope if licence else "",
    }


def change_apply(*, actor: Actor, enterprise: Enterprise, data: ApplicationData, articles=None) -> Application:
    """Start a change application for an operating enterprise; `data.items` names what changes."""
    require(can_apply_for_enterprise(actor, enterprise))
    if enterprise.status != "operating":
        raise Conflict("not_operating", _("Only an operating enterprise can change its registration."))
    if enterprise.registration_authority is None:
        raise Conflict("no_authority", _("The enterprise has no registration authority in the register."))
    items = list(dict.fromkeys(data.items))
    current = _enterprise_values(enterprise)
    application = Application(kind=ApplicationKind.CHANGE, applicant=actor.user, organisation=actor.organisation,
                              enterprise=enterprise, authority=enterprise.registration_authority,
                              legal_form=enterprise.legal_form, uscc=enterprise.uscc)
    _fill(application, data)
    application.legal_form = enterprise.legal_form
    application.industry = application.industry or enterprise.industry
    application.changes = [{"item": item, "old": current.get(item)} for item in items]
    if articles is not None:
        check_upload(articles, "articles")
    with transaction.atomic():
        application.save()
        _replace_parties(application, data)
        _store_articles(application, articles)
        application.save()
        audit_record(actor=actor, verb="registration.change_created", obj=application,
                     department=application.authority, params={"items": items, "uscc": enterprise.uscc})
    return application


def application_update(*, actor: Actor, application: Application, data: ApplicationData,
                       articles=None) -> Application:
    """Replace what the applicant filled in (a draft, or when corrections are asked for)."""
    require(can_edit_application(actor, application))
    _fill(application, data)
    if application.kind == ApplicationKind.CHANGE:
        current = {c["item"]: c["old"] for c in application.changes}
        old = _enterprise_values(application.enterprise)
        application.changes = [{"item": i, "old": current.get(i, old.get(i))} for i in dict.fromkeys(data.items)]
        application.legal_form = application.enterprise.legal_form
    if articles is not None:
        check_upload(articles, "articles")
    with transaction.atomic():
        application.save()
        _replace_parties(application, data)
        _store_articles(application, articles)
        application.save()
        audit_record(actor=actor, verb="registration.application_updated", obj=application,
                     department=application.authority, params={"name": application.name})
    return application


# ---- the one transition function -------------------------------------------------------------------------

def _parties(application: Application) -> list[ScreenedParty]:
    items = {c["item"] for c in application.changes}
    change = application.kind == ApplicationKind.CHANGE
    parties = []
    if not change or "capital" in items:
        parties += [ScreenedParty("shareholder", h.name, id_number=h.id_number, uscc=h.uscc)
                    for h in application.shareholders.all()]
    if not change or "legal_representative" in items:
        parties.append(ScreenedParty("legal_representative", application.legal_rep_name,
                                     id_number=application.legal_rep_id_number))
    return parties


def application_screen(application: Application, *, actor: Actor | None = None) -> list[dict]:
    """Screen the parties now and keep the result (evidence ids) on the application, committed on its own so the
    evidence of a refusal is kept."""
    summaries = screen_parties(_parties(application), client=f"application:{application.pk}", actor=actor,
                               authority=application.authority)
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(screening=summaries)
    application.screening = summaries
    return summaries


def application_transition(*, actor: Actor, application: Application, transition: str, note: str = "",
                           corrections: list[str] | None = None, on: datetime.date | None = None) -> Application:
    step = APPLICATION_WORKFLOW.get(transition)
    if step is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    check = can_review_application if step.by == "authority" else can_act_as_applicant
    require(check(actor, application))
    if application.state not in step.sources:
        raise Conflict("wrong_state", _("This step is not possible while the application is %(state)s.") % {
            "state": application.get_state_display()})
    note = (note or "").strip()
    listed = [c.strip() for c in (corrections or []) if c and c.strip()]
    if step.note_required and not (note or listed):
        raise ServiceError("note_required", _("Give the reasons."), field="note")
    today = on or timezone.localdate()
    if transition == "submit":
        missing = checks.corrections(application)
        if missing:
            raise ServiceError("incomplete", _("Correct these before submitting: %(list)s") % {
                "list": " ".join(f"({i}) {m['message']}" for i, m in enumerate(missing, 1))}, field="corrections")
    if transition in ("submit", "approve"):
        summaries = application_screen(application, actor=actor)
        if any(s["blocked"] for s in summaries):
            raise Conflict("barred", barred_message(summaries))
        if transition == "approve" and any(s["decision"] == "review" for s in summaries):
            raise Conflict("screening_review", _("A possible match on a restricting list needs a decision first: "
                                                 "open the screening evidence and decide whether it is the same "
                                                 "party."))
    from shuangchuang.registration.services.approval import approve  # noqa: PLC0415 (approval imports this module)

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != application.state:
            raise Conflict("changed", _("The application changed meanwhile; reload it."))
        before = application.state
        application.state = step.target
        if transition == "submit":
            application.submitted_at = timezone.now()
            application.corrections = []
            days = selectors.rule_value("establishment.corrections_working_days", on=today)
            application.corrections_due = selectors.add_working_days(today, days) if days is not None else None
            decision_days = selectors.rule_value("establishment.decision_working_days", on=today)
            application.decision_due = (selectors.add_working_days(today, decision_days)
                                        if decision_days is not None else None)
        elif transition == "request_corrections":
            application.corrections = listed or [note]
        elif transition == "accept":
            application.accepted_at = timezone.now()
            days = selectors.rule_value("establishment.decision_working_days", on=today)
            application.decision_due = selectors.add_working_days(today, days) if days is not None else None
        elif transition in ("approve", "reject"):
            application.decided_at = timezone.now()
            application.decision_note = note
        if transition == "approve":
            approve(actor=actor, application=application, on=today)
        application.save()
        ApplicationStep.objects.create(application=application, transition=transition, from_state=before,
                                       to_state=application.state, actor_label=actor.label,
                                       note=note or "\n".join(listed))
        audit_record(actor=actor, verb=f"registration.application_{transition}", obj=application,
                     department=application.authority,
                     params={"from": before, "to": application.state, "note": note, "corrections": listed,
                             "evidence": [s["evidence_id"] for s in application.screening],
                             "uscc": application.uscc})
        _notify(actor, application, step)
    return application


def _notify(actor: Actor, application: Application, step: Transition) -> None:
    if step.by == "authority":
        recipients = [application.applicant]
    else:
        from shuangchuang.core.models import Membership

        recipients = [m.user for m in Membership.objects.select_related("user").filter(
            organisation=application.authority, role__in=["officer", "admin"], is_active=True)]
    if not recipients:
        return
    notification_send(
        actor=actor, recipients=recipients,
        subject=_("Registration of %(name)s: %(state)s") % {"name": application.name or application.uscc,
                                                            "state": application.get_state_display()},
        body=application.decision_note or "\n".join(application.corrections),
        url=f"/registration/applications/{application.pk}/",
    )


def application_or_404(pk) -> Application:
    found = selectors.application_by_id(pk)
    if found is None:
        raise NotFound("not_found", _("Not found."))
    return found
