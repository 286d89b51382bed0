"""After the committee: public notice (公示) and objections; the award with its decision letter, ledger row,
instalment plan and report schedule; the agreement with milestones; payments with conditions re-checked."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.models import (
    Application,
    Award,
    Call,
    Instalment,
    InstalmentState,
    LedgerKind,
    Milestone,
    Objection,
    ObjectionState,
    ProgressReport,
    PublicNotice,
    SourceKind,
    State,
)
from shuangchuang.programmes.permissions import can_manage_call, can_officiate
from shuangchuang.programmes.services import checks
from shuangchuang.programmes.services.common import add_months, fen_text
from shuangchuang.programmes.services.ledger import support_ledger_record


# ---- public notice ---------------------------------------------------------------------------------------------

def notice_publish(*, actor: Actor, call: Call, title: str, body: str = "",
                   starts_on: datetime.date | None = None) -> PublicNotice:
    """Publish the proposed awards of a call for the call's notice period; they move to 'in public notice'."""
    from shuangchuang.programmes.services.applications import application_transition

    require(can_manage_call(actor, call))
    if not call.uses("publicity"):
        raise Conflict("no_publicity", _("This call has no public notice stage."))
    if not call.publicity_days:
        raise ServiceError("publicity_days_required", _("Set the public notice period of the call first."),
                           field="publicity_days")
    title = (title or "").strip()
    if not title:
        raise ServiceError("title_required", _("Give the notice a title."), field="title")
    proposed = list(call.applications.filter(state=State.PROPOSED).order_by("rank", "pk"))
    if not proposed:
        raise Conflict("nothing_proposed", _("No application of this call is proposed for award."))
    starts_on = starts_on or timezone.localdate()
    with transaction.atomic():
        notice = PublicNotice.objects.create(call=call, title=title[:200], body=body, starts_on=starts_on,
                                             ends_on=starts_on + datetime.timedelta(days=call.publicity_days - 1),
                                             published_by=actor.label)
        for application in proposed:
            application_transition(actor=actor, application=application, transition="publicise",
                                   note=_("Public notice %(title)s until %(until)s.") % {
                                       "title": notice.title, "until": notice.ends_on.isoformat()})
        notice.applications.set(proposed)
        audit_record(actor=actor, verb="programmes.notice_published", obj=notice,
                     department=call.programme.department,
                     params={"applications": [a.pk for a in proposed], "from": notice.starts_on,
                             "until": notice.ends_on})
    return notice


def objection_submit(*, actor: Actor, notice: PublicNotice, application: Application, name: str, contact: str,
                     text: str) -> Objection:
    """Anyone may object during the notice period; name and contact are kept for the officers only."""
    today = timezone.localdate()
    if not notice.starts_on <= today <= notice.ends_on:
        raise Conflict("notice_closed", _("Objections are accepted from %(from)s to %(until)s.")
                       % {"from": notice.starts_on.isoformat(), "until": notice.ends_on.isoformat()})
    if not notice.applications.filter(pk=application.pk).exists():
        raise ServiceError("not_in_notice", _("This application is not in the notice."), field="application")
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    if not name or not contact:
        raise ServiceError("contact_required", _("Give your name and a phone number or e-mail address."),
                           field="contact")
    if len(text) < 10:
        raise ServiceError("text_required", _("Say what the objection is (at least 10 characters)."), field="text")
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, application=application, name=name[:64],
                                             contact=contact[:120], text=text[:5000])
        audit_record(actor=actor, verb="programmes.objection_submitted", obj=objection,
                     object_label=application.reference, department=notice.call.programme.department,
                     params={"application": application.pk})
    return objection


def objection_resolve(*, actor: Actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """An officer decides an objection. An upheld objection stops the award (the application must be rejected
    or the proposal revised); a dismissed one lets it proceed."""
    require(can_officiate(actor, objection.application))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ServiceError("resolution_required", _("Write how the objection was resolved."), field="resolution")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.state != ObjectionState.OPEN:
            raise Conflict("already_resolved", _("This objection is already resolved."))
        objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
        objection.resolution, objection.resolved_by = resolution[:5000], actor.label
        objection.resolved_at = timezone.now()
        objection.save()
        audit_record(actor=actor, verb="programmes.objection_resolved", obj=objection,
                     object_label=objection.application.reference,
                     department=objection.notice.call.programme.department,
                     params={"upheld": upheld, "resolution": resolution[:500]})
    return objection


# ---- the award -------------------------------------------------------------------------------------------------

def _recipient(application: Application) -> tuple[str, str]:
    """(name, identifier) of the recipient for the letter; a person's ID number is masked."""
    if application.by_person:
        from shuangchuang.core.idnumber import mask_id_number

        return application.applicant_name, mask_id_number(application.person.id_number or "")
    return application.enterprise.name, application.enterprise.uscc


def _letter_values(application: Application, number: str) -> dict[str, str]:
    """What every decision letter names: its number, the recipient, the application, the call and its basis."""
    call = application.call
    firm, uscc = _recipient(application)
    return {"number": number, "firm": firm, "uscc": uscc, "ref": application.reference,
            "title": application.project_title, "call": call.title, "department": call.programme.department.name,
            "programme": call.programme.name,
            "basis": f" ({call.programme.legal_basis})" if call.programme.legal_basis else ""}


def _letter(application: Application, amount: int, number: str) -> str:
    return _("Decision %(number)s\n\n%(firm)s (%(uscc)s):\n\nYour application %(ref)s \"%(title)s\" to the call "
             "\"%(call)s\" of %(department)s is granted %(amount)s yuan under %(programme)s%(basis)s. The amount is "
             "paid in instalments after the agreement is signed; before each payment the conditions are checked "
             "again (registration status and credit lists). The support is recorded in the support ledger.") % {
        **_letter_values(application, number), "amount": fen_text(amount)}


def _space_letter(application: Application, number: str) -> str:
    return _("Decision %(number)s\n\n%(firm)s (%(uscc)s):\n\nYour application %(ref)s \"%(title)s\" to the call "
             "\"%(call)s\" of %(department)s is granted innovative industrial space under %(programme)s%(basis)s. "
             "The support is a rent discount, not a payment: the department offers you a lease of a space in rank "
             "order, and the value of the rent discount over the lease term is recorded in the support ledger when "
             "you accept the offer.") % _letter_values(application, number)


def _plan(call: Call, amount: int) -> list[tuple[int, int, str]]:
    """(months after the decision, amount, condition) per instalment; the last takes the rounding rest. A space
    call pays nothing: its support is the rent discount of the lease (services.leases)."""
    if call.mechanism == "space_lease":
        return []
    plan = call.instalments or [{"share": "1", "months": 0, "condition": ""}]
    rows, given = [], 0
    for index, item in enumerate(plan):
        part = amount - given if index == len(plan) - 1 else int(Decimal(item["share"]) * amount)
        given += part
        rows.append((int(item.get("months", 0)), part, item.get("condition", "")))
    return rows


def _ledger_row(actor: Actor, application: Application, *, label: str, amount: int, kind: str):
    """The support-ledger row of an amount, against the applicant enterprise or a person's employer.

    A person applying with no employer in the register (none named, or one the register does not hold) has no
    row: the support ledger is per enterprise, so the amounts stay on the award and its instalments (with the
    person's name and screening evidence) and in the audit log; caps per enterprise do not apply to them."""
    enterprise = application.ledger_enterprise
    if enterprise is None:
        return None
    call = application.call
    note = _("Talent award to %(name)s") % {"name": application.applicant_name} if application.by_person else ""
    return support_ledger_record(
        actor=actor, enterprise=enterprise, source_kind=SourceKind.PROGRAMME, source_label=label,
        source_ref=f"programmes.application:{application.pk}", department=call.programme.department,
        amount_fen=amount, kind=kind, occurred_on=timezone.localdate(), project_key=application.project_key,
        clause=call.programme.clause, note=note)


def award_create(*, actor: Actor, application: Application) -> Award:
    """Part of the 'award' transition (called inside its transaction, with the application locked)."""
    amount = application.proposed_fen
    call = application.call
    now = timezone.now()
    today = timezone.localdate()
    number = f"{call.programme.code.upper()}-{call.year}-{application.pk:06d}"
    # innovative industrial space: the support is the rent discount, written to the ledger when the lease is taken
    # (services.leases.lease_record), not the amount of the award decision
    entry = None if call.mechanism == "space_lease" else _ledger_row(
        actor, application, label=f"{call.programme.name} · {call.title}", amount=amount, kind=LedgerKind.AWARDED)
    letter = (_space_letter(application, number) if call.mechanism == "space_lease"
              else _letter(application, amount, number))
    award = Award.objects.create(application=application, amount_fen=amount, letter_number=number,
                                 letter_text=letter, decided_at=now, ledger_entry=entry)
    Instalment.objects.bulk_create([
        Instalment(award=award, seq=seq, due_on=add_months(today, months), amount_fen=part, condition=condition)
        for seq, (months, part, condition) in enumerate(_plan(call, amount), start=1)])
    if call.report_every_months:
        last_due = add_months(today, max((m for m, _a, _c in _plan(call, amount)), default=0)
                              + call.report_every_months)
        due, reports = add_months(today, call.report_every_months), []
        while due <= last_due and len(reports) < 40:
            reports.append(ProgressReport(award=award, due_on=due))
            due = add_months(due, call.report_every_months)
        ProgressReport.objects.bulk_create(reports)
    audit_record(actor=actor, verb="programmes.award_created", obj=award, object_label=number,
                 department=call.programme.department,
                 params={"application": application.pk, "amount_fen": amount,
                         "ledger_entry": entry.pk if entry else None})
    return award


def agreement_sign(*, actor: Actor, award: Award, terms: str, milestones: list[dict]) -> Award:
    """Record the signed agreement and its milestones ([{"title", "due_on"}])."""
    require(can_officiate(actor, award.application))
    if award.agreement_signed_at is not None:
        raise Conflict("already_signed", _("The agreement is already signed."))
    terms = (terms or "").strip()
    if not terms:
        raise ServiceError("terms_required", _("Give the terms of the agreement."), field="terms")
    rows = []
    for item in milestones or []:
        title = str(item.get("title", "")).strip()
        due = item.get("due_on")
        if isinstance(due, str):
            try:
                due = datetime.date.fromisoformat(due)
            except ValueError:
                due = None
        if not title or not isinstance(due, datetime.date):
            raise ServiceError("invalid_milestone", _("Each milestone needs a title and a due date."),
                               field="milestones")
        rows.append(Milestone(award=award, title=title[:200], due_on=due))
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        award.agreement_terms, award.agreement_signed_at = terms, timezone.now()
        award.save()
        Milestone.objects.bulk_create(rows)
        audit_record(actor=actor, verb="programmes.agreement_signed", obj=award, object_label=award.letter_number,
                     department=award.application.call.programme.department, params={"milestones": len(rows)})
    return award


def milestone_done(*, actor: Actor, milestone: Milestone, done_on: datetime.date, evidence: str) -> Milestone:
    require(can_officiate(actor, milestone.award.application))
    if not isinstance(done_on, datetime.date) or done_on > timezone.localdate():
        raise ServiceError("invalid_date", _("Give the date it was reached (not in the future)."), field="done_on")
    with transaction.atomic():
        milestone.done_on, milestone.evidence = done_on, (evidence or "").strip()[:5000]
        milestone.accepted_by, milestone.accepted_at = actor.label, timezone.now()  # an officer's record is accepted
        milestone.save()
        audit_record(actor=actor, verb="programmes.milestone_done", obj=milestone, object_label=milestone.title,
                     department=milestone.award.application.call.programme.department, params={"on": done_on})
    return milestone


def instalment_pay(*, actor: Actor, instalment: Instalment) -> Instalment:
    """Pay one instalment after checking again: the award stands, the agreement is signed (when the call has
    that stage), each milestone it waits for is reported reached and accepted, the enterprise is still registered as operating and is
    not on a list that restricts special funds (screened now). A failed check STOPS the instalment with the
    reason and the screening evidence; nothing is paid and nothing goes to the ledger. An instalment of a call for
    innovative industrial space is refused outright (its support is the rent discount, not a payment)."""
    instalment = Instalment.objects.select_related(
        "award", "milestone", "award__application__call__programme__department", "award__application__enterprise",
        "award__application__person", "award__application__employer",
    ).get(pk=instalment.pk)
    application = instalment.award.application
    require(can_officiate(actor, application))
    if application.call.mechanism == "space_lease":
        raise Conflict("space_not_paid", _("A call for innovative industrial space pays nothing: its support is the "
                                           "rent discount of the lease, recorded when the lease offer is accepted."))
    if instalment.state not in (InstalmentState.PLANNED, InstalmentState.STOPPED):
        raise Conflict("wrong_state", _("This instalment is %(state)s.") % {"state": instalment.get_state_display()})
    call = application.call
    reasons: list[str] = []
    if application.state != State.AWARDED:
        reasons.append(_("The award is %(state)s.") % {"state": application.get_state_display()})
    if call.uses("agreement") and instalment.award.agreement_signed_at is None:
        reasons.append(_("The agreement is not signed."))
    from shuangchuang.programmes.services.milestones import milestone_reasons

    reasons += milestone_reasons(instalment)
    enterprise = application.enterprise  # None when a person applied: screened by ID number
    if enterprise is not None:
        enterprise.refresh_from_db()
        try:
            checks.refuse_not_operating(enterprise)
        except Conflict as exc:
            reasons.append(exc.message)
    outcome = checks.screen(application, enterprise, screen_rep=call.programme.screen_legal_representative)
    if outcome.blocked:
        reasons.append(checks.screening_message(outcome))
    with transaction.atomic():
        instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if instalment.state not in (InstalmentState.PLANNED, InstalmentState.STOPPED):
            raise Conflict("wrong_state", _("This instalment is %(state)s.") % {"state": instalment.get_state_display()})
        instalment.checked_at = timezone.now()
        instalment.screening_evidence = outcome.evidence_id
        instalment.check_result = {"ok": not reasons, "reasons": reasons, "evidence": outcome.evidence_id,
                                   "rep_evidence": outcome.rep_evidence_id,
                                   "person_evidence": outcome.person_evidence_id}
        if reasons:
            instalment.state = InstalmentState.STOPPED
        else:
            instalment.state, instalment.paid_at = InstalmentState.PAID, instalment.checked_at
            instalment.ledger_entry = _ledger_row(
                actor, application, label=f"{call.programme.name} · {call.title} · {instalment.seq}",
                amount=instalment.amount_fen, kind=LedgerKind.PAID)
        instalment.save()
        audit_record(actor=actor, verb="programmes.instalment_paid" if not reasons else "programmes.instalment_stopped",
                     obj=instalment, object_label=f"{application.reference} #{instalment.seq}",
                     department=call.programme.department,
                     params={"amount_fen": instalment.amount_fen, "reasons": reasons, "evidence": outcome.evidence_id})
    return instalment
