"""Simplified deregistration (简易注销, POLICY-FACTS §2.4) with the rule version in force by date:
version A (from 2017-03-01) a 45-day notice and 30 days to apply; B (from 2021-08-04) 20 days and 20 days,
extendable to 30; C (from 2022-03-01) 20 and 20. The periods are data (data/rules.json → RuleParameter).

Eligibility combines the rule (legal forms), the register (status, bars recorded by departments: frozen or
pledged equity, unpaid fines, investigations…) and credit (in force on the abnormal-operation or
serious-violation list). The workflow is one table (DEREGISTRATION_WORKFLOW) and one function
(deregistration_transition).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError, require
from shuangchuang.core.workflow import Transition
from shuangchuang.registration import names_bridge, selectors
from shuangchuang.registration.models import (
    BarKind,
    Deregistration,
    DeregistrationState,
    Licence,
    Objection,
    ObjectionState,
    ObjectorKind,
    RegistrationBar,
)
from shuangchuang.registration.permissions import (
    can_act_for_deregistration,
    can_apply_for_enterprise,
    can_decide_deregistration,
    can_record_bar,
)
from shuangchuang.registration.services.common import check_fen, check_upload
from shuangchuang.registry.models import Enterprise, EnterpriseStatus
from shuangchuang.registry.services import enterprise_status_set

D = DeregistrationState
BARRING_LISTS = ("abnormal_operation", "serious_violation")


def notice_periods(rule: dict, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(last day of the notice, last day to apply — or, for an individual business, for the authority to
    decide) for a notice starting on `start` (natural days)."""
    notice_end = start + datetime.timedelta(days=rule["notice_days"] - 1)
    window = rule.get("apply_window_days", rule.get("decide_within_days", 0))
    return notice_end, notice_end + datetime.timedelta(days=window)


def rule_for(rule: dict | None, legal_form: str) -> dict | None:
    """The rule as it applies to this legal form: individual businesses have their own periods (version C)."""
    if rule is None:
        return None
    if legal_form == "individual":
        special = rule.get("individual")
        return {**rule, **special, "forms": ["individual"], "extension_max_days": 0} if special else None
    return rule


def deregistration_eligibility(enterprise: Enterprise, *, on: datetime.date | None = None) -> dict:
    """{"eligible", "rule", "checks": [{"code", "ok", "message"}]} on a day; every check is listed."""
    from shuangchuang.credit import selectors as credit_selectors

    on = on or timezone.localdate()
    general = selectors.rule_value("deregistration.rule", on=on)
    rule = rule_for(general, enterprise.legal_form)
    checks = []

    def add(code: str, ok: bool, message: str) -> None:
        checks.append({"code": code, "ok": ok, "message": str(message)})

    if general is None:
        add("rule", False, _("Simplified deregistration is not available on %(date)s (no rule in force).") % {
            "date": on.isoformat()})
    elif rule is None:
        add("legal_form", False, _("This legal form (%(form)s) cannot use simplified deregistration under this "
                                   "rule.") % {"form": enterprise.get_legal_form_display()})
    else:
        add("rule", True, _("Rule version %(version)s: %(basis)s") % {"version": rule["version"],
                                                                       "basis": rule["basis"]})
        add("legal_form", enterprise.legal_form in rule["forms"],
            _("Legal form: %(form)s") % {"form": enterprise.get_legal_form_display()}
            if enterprise.legal_form in rule["forms"] else
            _("This legal form (%(form)s) cannot use simplified deregistration under this rule.") % {
                "form": enterprise.get_legal_form_display()})
    add("status", enterprise.status == EnterpriseStatus.OPERATING,
        _("The enterprise is operating.") if enterprise.status == EnterpriseStatus.OPERATING else
        _("The enterprise is %(status)s.") % {"status": enterprise.get_status_display()})
    entries = (credit_selectors.entries_for_enterprise(enterprise, public_only=False)
               .filter(credit_selectors.in_force_on(on), credit_list__kind__in=BARRING_LISTS))
    listed = list(entries[:5])
    add("credit_lists", not listed, _("Not on the abnormal-operation or serious-violation list.") if not listed else
        " ".join(_("On %(list)s since %(date)s: %(reason)s") % {
            "list": e.credit_list.name, "date": e.listed_on.isoformat(), "reason": e.reason[:120]} for e in listed))
    bars = list(selectors.bars_in_force(enterprise, on))
    add("register_bars", not bars, _("No frozen or pledged equity, unpaid fines or other bars in the register.")
        if not bars else " ".join(_("%(kind)s since %(date)s %(note)s") % {
            "kind": b.get_kind_display(), "date": b.since.isoformat(), "note": b.note} for b in bars))
    open_file = selectors.open_deregistration(enterprise)
    add("open_file", open_file is None, _("No deregistration in progress.") if open_file is None else
        _("A deregistration notice is already in progress."))
    return {"eligible": all(c["ok"] for c in checks), "rule": rule, "checks": checks, "on": on.isoformat()}


def deregistration_start(*, actor: Actor, enterprise: Enterprise, ground: str, promise,
                         on: datetime.date | None = None) -> Deregistration:
    """Check eligibility, store the investors' 承诺书 and publish the notice from today."""
    require(can_apply_for_enterprise(actor, enterprise))
    if ground not in ("not_started", "no_debts"):
        raise ServiceError("invalid_ground", _("Choose the ground: never started business, or no debts."),
                           field="ground")
    if promise is None:
        raise ServiceError("promise_required", _("Upload the investors' written promise (承诺书)."), field="promise")
    content_type = check_upload(promise, "promise")
    if enterprise.registration_authority_id is None:
        raise Conflict("no_authority", _("The enterprise has no registration authority in the register."))
    on = on or timezone.localdate()
    eligibility = deregistration_eligibility(enterprise, on=on)
    if not eligibility["eligible"]:
        raise Conflict("not_eligible", _("Simplified deregistration is not possible: %(reasons)s") % {
            "reasons": " ".join(c["message"] for c in eligibility["checks"] if not c["ok"])})
    rule = eligibility["rule"]
    notice_end, apply_by = notice_periods(rule, on)
    with transaction.atomic():
        file = Deregistration(
            enterprise=enterprise, organisation=actor.organisation, authority=enterprise.registration_authority,
            applicant=actor.user, rule_version=rule["version"], rule=rule, eligibility=eligibility["checks"],
            reason=ground, promise_content_type=content_type, notice_start=on, notice_end=notice_end,
            is_public=rule.get("public", True),
            apply_by=apply_by, steps=[_step(actor, "publish", "", D.NOTICE, "")],
        )
        promise.seek(0)
        file.promise.save(f"promise-{enterprise.uscc}.pdf", promise, save=False)
        file.save()
        _tell_departments(actor, file, on)
        audit_record(actor=actor, verb="registration.deregistration_notice_published", obj=file,
                     object_label=enterprise.name, department=file.authority,
                     params={"rule": rule["version"], "notice_start": on, "notice_end": notice_end,
                             "apply_by": apply_by})
    return file


def _tell_departments(actor: Actor, file: Deregistration, on: datetime.date) -> None:
    """Push the request to the tax and other departments named by the rule; their officers may object."""
    from shuangchuang.core.models import Membership
    from shuangchuang.core.services import notification_send

    codes = selectors.rule_value("deregistration.notify_departments", on=on) or []
    officers = {m.user_id: m.user for m in Membership.objects.select_related("user").filter(
        organisation__code__in=codes, role__in=["officer", "admin"], is_active=True)}
    if officers:
        notification_send(
            actor=actor, recipients=officers.values(),
            subject=_("Simplified deregistration of %(name)s: objections until %(date)s") % {
                "name": file.enterprise.name, "date": file.notice_end.isoformat()},
            body=_("Object with reasons if the enterprise still owes taxes, contributions or other obligations."),
            url=f"/registration/deregistrations/{file.pk}/",
        )


def _step(actor: Actor, name: str, before: str, after: str, note: str) -> dict:
    return {"transition": name, "from": before, "to": after, "by": actor.label, "note": note,
            "at": timezone.now().isoformat(timespec="seconds")}


# ---- the workflow table --------------------------------------------------------------------------------

DEREGISTRATION_WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("extend", gettext_lazy("Ask for more time to apply"), frozenset({D.NOTICE}), D.NOTICE, "enterprise"),
    Transition("apply", gettext_lazy("Apply for deregistration"), frozenset({D.NOTICE}), D.APPLIED, "enterprise"),
    Transition("withdraw", gettext_lazy("Withdraw"), frozenset({D.NOTICE, D.APPLIED}), D.WITHDRAWN, "enterprise"),
    Transition("approve", gettext_lazy("Deregister"), frozenset({D.APPLIED, D.NOTICE}), D.APPROVED, "authority"),
    Transition("reject", gettext_lazy("Refuse"), frozenset({D.APPLIED}), D.REJECTED, "authority",
               note_required=True),
    Transition("lapse", gettext_lazy("Close: not applied in time"), frozenset({D.NOTICE}), D.LAPSED, "authority"),
)}


def deregistration_transitions_for(actor: Actor, file: Deregistration) -> list[Transition]:
    found = []
    for t in DEREGISTRATION_WORKFLOW.values():
        check = can_decide_deregistration if t.by == "authority" else can_act_for_deregistration
        if file.state in t.sources and check(actor, file)[0]:
            found.append(t)
    return found


def _guard(transition: str, file: Deregistration, on: datetime.date) -> None:
    last_day = file.extended_to or file.apply_by
    if transition in ("apply", "extend") and on <= file.notice_end:
        raise Conflict("notice_running", _("The notice runs until %(date)s; apply after it ends.") % {
            "date": file.notice_end.isoformat()})
    if transition == "apply" and on > last_day:
        raise Conflict("window_closed", _("The time to apply ended on %(date)s.") % {"date": last_day.isoformat()})
    if transition == "extend":
        extra = file.rule.get("extension_max_days") or 0
        if extra <= file.rule.get("apply_window_days", 0) or file.extended_to:
            raise Conflict("no_extension", _("This rule version allows no (further) extension."))
        if on > file.apply_by:
            raise Conflict("window_closed", _("The time to apply ended on %(date)s.") % {
                "date": file.apply_by.isoformat()})
    if transition == "lapse" and on <= last_day:
        raise Conflict("window_open", _("The time to apply runs until %(date)s.") % {"date": last_day.isoformat()})
    if transition == "approve" and file.state == D.NOTICE:
        if file.is_public:
            raise Conflict("not_applied", _("The enterprise applies after the notice; then the authority decides."))
        if on <= file.notice_end:
            raise Conflict("notice_running", _("Departments may object until %(date)s.") % {
                "date": file.notice_end.isoformat()})
    if transition == "approve":
        objections = list(file.objections.all())
        if any(o.state == ObjectionState.OPEN for o in objections):
            raise Conflict("objections_open", _("Decide on every objection first."))
        if any(o.state == ObjectionState.UPHELD for o in objections):
            raise Conflict("objection_upheld", _("An objection was upheld: refuse instead."))
        eligibility = deregistration_eligibility(file.enterprise, on=on)
        failing = [c for c in eligibility["checks"] if not c["ok"] and c["code"] in ("credit_lists", "register_bars",
                                                                                      "status")]
        if failing:
            raise Conflict("barred_now", " ".join(c["message"] for c in failing))


def deregistration_transition(*, actor: Actor, deregistration: Deregistration, transition: str, note: str = "",
                              on: datetime.date | None = None) -> Deregistration:
    step = DEREGISTRATION_WORKFLOW.get(transition)
    if step is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    check = can_decide_deregistration if step.by == "authority" else can_act_for_deregistration
    require(check(actor, deregistration))
    file = deregistration
    if file.state not in step.sources:
        raise Conflict("wrong_state", _("This step is not possible in the state %(state)s.") % {
            "state": file.get_state_display()})
    note = (note or "").strip()
    if step.note_required and not note:
        raise ServiceError("note_required", _("Give the reasons."), field="note")
    on = on or timezone.localdate()
    _guard(transition, file, on)
    with transaction.atomic():
        locked = Deregistration.objects.select_for_update().get(pk=file.pk)
        if locked.state != file.state:
            raise Conflict("changed", _("The file changed meanwhile; reload it."))
        before = file.state
        file.state = step.target
        if transition == "extend":
            file.extended_to = file.notice_end + datetime.timedelta(days=file.rule["extension_max_days"])
        elif transition == "apply":
            file.applied_on = on
        elif transition in ("approve", "reject"):
            file.decided_at = timezone.now()
            file.decision_note = note
        if transition == "approve":
            _deregister(actor, file, on)
        file.steps = [*file.steps, _step(actor, transition, before, file.state, note)]
        file.save()
        audit_record(actor=actor, verb=f"registration.deregistration_{transition}", obj=file,
                     object_label=file.enterprise.name, department=file.authority,
                     params={"from": before, "to": file.state, "note": note, "on": on,
                             "extended_to": file.extended_to})
    return file


def _deregister(actor: Actor, file: Deregistration, on: datetime.date) -> None:
    """The enterprise leaves the register (registry.enterprise_status_set), its licences are revoked and its
    name enters the one-year protection."""
    enterprise = enterprise_status_set(actor=actor, enterprise=file.enterprise, status=EnterpriseStatus.DEREGISTERED,
                                       on=on)
    Licence.objects.filter(enterprise=enterprise, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, verb="registration.enterprise_deregistered", obj=enterprise,
                 department=file.authority, params={"deregistration": file.pk, "on": on})
    names_bridge.protect(actor=actor, name=enterprise.name, enterprise=enterprise, reason="deregistered", since=on)


# ---- objections -----------------------------------------------------------------------------------------

def objection_raise(*, actor: Actor, deregistration: Deregistration, kind: str, name: str, contact: str,
                    reason: str, amount_fen: int | None = None, on: datetime.date | None = None) -> Objection:
    """Departments, creditors and the public object, with reasons, during the notice (anyone may, logged in
    or not; a department officer objects for the department)."""
    on = on or timezone.localdate()
    file = deregistration
    if file.state != D.NOTICE or not (file.notice_start <= on <= file.notice_end):
        raise Conflict("notice_closed", _("Objections are taken during the notice only (%(start)s to %(end)s).") % {
            "start": file.notice_start.isoformat(), "end": file.notice_end.isoformat()})
    department = actor.department
    if not file.is_public and department is None:
        raise Conflict("not_published", _("This request is not published; only the departments asked may object."))
    if department is not None:
        kind, name = ObjectorKind.DEPARTMENT, name or department.name
    elif kind == ObjectorKind.DEPARTMENT:
        raise ServiceError("not_department", _("Only officers acting for a department object as a department."),
                           field="kind")
    if kind not in ObjectorKind.values:
        raise ServiceError("invalid_kind", _("Say who objects: a creditor or a member of the public."), field="kind")
    name, contact, reason = (" ".join((v or "").split()) for v in (name, contact, reason))
    errors = [(f, m) for f, v, m in (("name", name, _("Enter your name.")),
                                     ("contact", contact, _("Enter a phone number or e-mail address.")),
                                     ("reason", reason, _("Give the reasons for the objection.")))
              if not v]
    if errors:
        raise ServiceError("incomplete", " ".join(str(m) for _f, m in errors), field=errors[0][0])
    if len(reason) > 2000 or len(name) > 128 or len(contact) > 128:
        raise ServiceError("too_long", _("The text is too long."), field="reason")
    if amount_fen is not None:
        check_fen(amount_fen, "amount_fen")
    with transaction.atomic():
        objection = Objection.objects.create(
            deregistration=file, kind=kind, name=name, contact=contact, reason=reason, amount_fen=amount_fen,
            department=department, user=actor.user)
        audit_record(actor=actor, verb="registration.objection_raised", obj=objection,
                     object_label=file.enterprise.name, department=file.authority,
                     params={"deregistration": file.pk, "kind": kind})
    return objection


def objection_resolve(*, actor: Actor, objection: Objection, decision: str, note: str) -> Objection:
    require(can_decide_deregistration(actor, objection.deregistration))
    if decision not in (ObjectionState.UPHELD, ObjectionState.DISMISSED):
        raise ServiceError("invalid_decision", _("Uphold or dismiss the objection."), field="decision")
    note = (note or "").strip()
    if not note:
        raise ServiceError("note_required", _("Give the reasons."), field="note")
    if objection.state != ObjectionState.OPEN:
        raise Conflict("already_decided", _("This objection was already decided."))
    with transaction.atomic():
        objection.state = decision
        objection.resolution_note = note
        objection.save(update_fields=["state", "resolution_note"])
        audit_record(actor=actor, verb="registration.objection_resolved", obj=objection,
                     department=objection.deregistration.authority, params={"decision": decision, "note": note})
    return objection


def bar_record(*, actor: Actor, enterprise: Enterprise, kind: str, since: datetime.date, note: str = "",
               lifted_on: datetime.date | None = None) -> RegistrationBar:
    """A department records a fact that bars simplified deregistration (frozen equity, unpaid fine, …)."""
    require(can_record_bar(actor))
    if kind not in BarKind.values:
        raise ServiceError("invalid_kind", _("Unknown kind of bar."), field="kind")
    department = actor.department or enterprise.registration_authority
    with transaction.atomic():
        bar = RegistrationBar.objects.create(enterprise=enterprise, kind=kind, since=since, lifted_on=lifted_on,
                                             note=(note or "")[:300], department=department)
        audit_record(actor=actor, verb="registration.bar_recorded", obj=bar, object_label=enterprise.name,
                     department=enterprise.registration_authority, params={"kind": kind, "since": since})
    return bar


def deregistrations_lapse(*, actor: Actor, on: datetime.date | None = None) -> int:
    """Close every notice whose time to apply has passed (the daily job); each through the workflow function,
    so each is audited. Returns how many were closed."""
    on = on or timezone.localdate()
    closed = 0
    due = Deregistration.objects.select_related("enterprise").filter(state=D.NOTICE, apply_by__lt=on)
    for file in due:
        if (file.extended_to or file.apply_by) < on:
            deregistration_transition(actor=actor, deregistration=file, transition="lapse", on=on)
            closed += 1
    return closed


def bar_lift(*, actor: Actor, bar: RegistrationBar, on: datetime.date) -> RegistrationBar:
    """The department that recorded a bar lifts it (the equity is unfrozen, the fine paid…)."""
    require(can_record_bar(actor))
    if actor.department is not None and actor.department.pk != bar.department_id:
        raise NotAllowed("not_allowed", _("Only the department that recorded the bar lifts it."))
    if on < bar.since:
        raise ServiceError("invalid_date", _("A bar cannot be lifted before it starts."), field="lifted_on")
    with transaction.atomic():
        bar.lifted_on = on
        bar.save(update_fields=["lifted_on"])
        audit_record(actor=actor, verb="registration.bar_lifted", obj=bar, object_label=bar.enterprise.name,
                     department=bar.enterprise.registration_authority, params={"on": on})
    return bar
