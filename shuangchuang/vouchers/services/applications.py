"""Applying for a voucher and the department's decision: review → publicity → issue (amount, valid until).

The workflow is one table (APPLICATION_WORKFLOW) and one transition function (application_transition).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.idnumber import mask_id_number, validate_id_number
from shuangchuang.core.services import notification_send
from shuangchuang.core.workflow import Transition
from shuangchuang.credit.services import Party
from shuangchuang.policies.rules import PASS, explain
from shuangchuang.registry.models import Enterprise
from shuangchuang.vouchers.models import (
    AccountKind,
    ApplicantKind,
    Application,
    ApplicationState,
    JournalKind,
    Scheme,
    Voucher,
    VoucherState,
)
from shuangchuang.vouchers.permissions import can_act_as_holder, can_apply, can_manage_scheme
from shuangchuang.vouchers.services.common import (
    add_months,
    blocked_message,
    members_of,
    money_input,
    new_code,
    required_parameter,
    scheme_parameter,
    screen,
    step,
    today,
)
from shuangchuang.vouchers.services.ledger import account_for, transfer
from shuangchuang.vouchers.services.schemes import scheme_year_for

OPEN_STATES = (ApplicationState.SUBMITTED, ApplicationState.PUBLICISED)
COUNTED_STATES = (ApplicationState.SUBMITTED, ApplicationState.PUBLICISED, ApplicationState.ISSUED,
                  ApplicationState.REJECTED)


@dataclass(frozen=True)
class Holder:
    kind: str
    key: str  # USCC or ID number
    enterprise: Enterprise | None
    person_name: str
    person_id_number: str
    cap_class: str

    def parties(self, organisation) -> list[Party]:
        parties = []
        if self.enterprise is not None:
            parties.append(Party(name=self.enterprise.name, uscc=self.enterprise.uscc))
        if self.person_id_number:
            parties.append(Party(name=self.person_name, id_number=self.person_id_number))
        if self.kind == ApplicantKind.MAKER:
            parties.append(Party(name=organisation.name, uscc=organisation.code))
        return parties


def _holder(actor: Actor, kind: str, person_name: str, person_id_number: str) -> Holder:
    org = actor.organisation
    enterprise = Enterprise.objects.filter(uscc=org.code).select_related("legal_representative").first() \
        if org is not None else None
    if kind == ApplicantKind.ENTERPRISE:
        if enterprise is None:
            raise Conflict("not_in_register", _("The enterprise is not in the register, so its eligibility cannot be "
                                                "checked."))
        return Holder(kind, enterprise.uscc, enterprise, "", "", enterprise.size_class)
    if kind == ApplicantKind.FOUNDER:
        if enterprise is None:
            raise Conflict("not_in_register", _("The firm is not in the register, so its eligibility cannot be "
                                                "checked."))
        user = actor.user
        if not user.id_number:
            raise Conflict("no_id_number", _("Your account has no ID number; a founder applies under real name."))
        return Holder(kind, user.id_number, enterprise, user.full_name or user.username, user.id_number, "founder")
    person_name = " ".join((person_name or "").split())
    if not person_name:
        raise ServiceError("name_required", _("Give the maker's name."), field="person_name")
    try:
        number = validate_id_number(person_id_number)
    except ValidationError as exc:
        raise ServiceError(exc.code or "id_number_invalid", " ".join(str(m) for m in exc.messages),
                           field="person_id_number") from exc
    return Holder(kind, number, None, person_name[:64], number, "maker")


def _conditions_for(holder: Holder, scheme: Scheme, organisation, on: datetime.date) -> dict:
    """The eligibility explanation kept with the application: the scheme's rule over the register for an
    enterprise (or a founder's firm), and the checks that make a founder or maker."""
    extra = []
    result = {"outcome": PASS, "conditions": []}
    if holder.enterprise is not None:
        explanation = explain(scheme.rule or {"all": []}, holder.enterprise, on=on)
        result = explanation.as_dict()
        result.pop("tree", None)
    if holder.kind == ApplicantKind.FOUNDER:
        rep = holder.enterprise.legal_representative
        outcome = "unknown" if rep is None else ("pass" if rep.id_number == holder.person_id_number else "fail")
        extra.append({"requirement": _("The applicant is the firm's legal representative in the register"),
                      "actual": rep.name if rep is not None else "—", "outcome": outcome, "cite": ""})
    if holder.kind == ApplicantKind.MAKER:
        extra.append({"requirement": _("A maker applies through a maker space or a firm"),
                      "actual": organisation.name, "outcome": "pass", "cite": "深科技创新规〔2015〕1号"})
    result["conditions"] = list(result.get("conditions", [])) + extra
    outcomes = {c["outcome"] for c in extra} | {result["outcome"]}
    result["outcome"] = "fail" if "fail" in outcomes else "unknown" if "unknown" in outcomes else "pass"
    return result


def _refuse_unless_eligible(eligibility: dict) -> None:
    if eligibility["outcome"] == PASS:
        return
    failing = [c for c in eligibility["conditions"] if c["outcome"] != PASS]
    reasons = "; ".join(f"{c['requirement']} ({c['actual'] or _('unknown')})" if c.get("actual") else c["requirement"]
                        for c in failing)
    raise Conflict("not_eligible", _("Not eligible: %(reasons)s.") % {"reasons": reasons})


def voucher_balance_fen(voucher: Voucher) -> int:
    account = voucher.accounts.filter(kind=AccountKind.VOUCHER).values_list("balance_fen", flat=True).first()
    return account or 0


def _refuse_while_unused(scheme: Scheme, holder: Holder, on: datetime.date) -> None:
    if Application.objects.filter(scheme=scheme, holder_key=holder.key, state__in=OPEN_STATES).exists():
        raise Conflict("application_open", _("An application of this holder is already being reviewed."))
    threshold = scheme_parameter(scheme, "small_balance_threshold", on=on)
    counts_as_used = scheme_parameter(scheme, "small_balance_counts_as_used", on=on)
    vouchers = Voucher.objects.filter(application__scheme=scheme, application__holder_key=holder.key,
                                      state=VoucherState.ACTIVE, valid_until__gte=on)
    for voucher in vouchers:
        balance = voucher_balance_fen(voucher)
        if balance <= 0:
            continue
        if threshold is not None and counts_as_used and balance < threshold:
            continue
        raise Conflict("unused_balance", _("Voucher %(code)s still has %(yuan)s yuan unused (valid until %(date)s); "
                                           "a new application is possible once it is used or expired.")
                       % {"code": voucher.code, "yuan": f"{balance / 100:,.2f}", "date": voucher.valid_until})


def _refuse_after_count(scheme: Scheme, holder: Holder, on: datetime.date, requested_fen: int) -> None:
    counted = Application.objects.filter(scheme=scheme, holder_key=holder.key, year=on.year, state__in=COUNTED_STATES)
    maximum = scheme_parameter(scheme, "max_applications_per_year", on=on)
    if maximum is not None and counted.count() >= maximum:
        raise Conflict("yearly_count", _("This holder has already applied %(n)d times in %(year)d, the most a year "
                                         "allows.") % {"n": counted.count(), "year": on.year})
    annual_cap = scheme_parameter(scheme, "annual_cap_per_entity", on=on)
    if annual_cap is not None:
        so_far = counted.exclude(state=ApplicationState.REJECTED).aggregate(total=Sum("requested_fen"))["total"] or 0
        if so_far + requested_fen > annual_cap:
            raise Conflict("annual_cap", _("This would bring the holder's vouchers in %(year)d to more than the "
                                           "yearly cap of %(cap)s yuan.") % {"year": on.year,
                                                                             "cap": f"{annual_cap / 100:,.2f}"})


def application_check(*, actor: Actor, scheme: Scheme, applicant_kind: str, person_name: str = "",
                      person_id_number: str = "", on: datetime.date | None = None) -> dict:
    """What an applicant would be told now, without applying: eligibility, the cap, and any reason for refusal."""
    require(can_apply(actor, applicant_kind))
    on = on or today()
    holder = _holder(actor, applicant_kind, person_name, person_id_number)
    eligibility = _conditions_for(holder, scheme, actor.organisation, on)
    cap = scheme_parameter(scheme, f"cap.{holder.cap_class}", on=on) if holder.cap_class else None
    refusal = ""
    try:
        _refuse_unless_eligible(eligibility)
        _refuse_while_unused(scheme, holder, on)
        _refuse_after_count(scheme, holder, on, 1)
    except Conflict as exc:
        refusal = exc.message
    return {"eligibility": eligibility, "cap_fen": cap, "cap_class": holder.cap_class, "refusal": refusal}


def _refuse_double_funding(holder: Holder, project_key: str) -> None:
    if holder.enterprise is None or not project_key:
        return
    from shuangchuang.programmes.selectors import project_funded  # imported when used: no import-time tie

    if project_funded(enterprise=holder.enterprise, project_key=project_key):
        raise Conflict("double_funding", _("The project %(project)s has already been awarded municipal funds; it is "
                                           "not supported again.") % {"project": project_key})


def application_submit(*, actor: Actor, scheme: Scheme, applicant_kind: str, requested_fen: int, purpose: str,
                       person_name: str = "", person_id_number: str = "", project_key: str = "",
                       on: datetime.date | None = None) -> Application:
    """Apply for a voucher. Refused (nothing written) when not eligible, while an unused balance remains, after the
    yearly count or cap; refused with a kept record (state REFUSED, evidence id) when credit screening blocks."""
    require(can_apply(actor, applicant_kind))
    on = on or today()
    if not scheme.is_open:
        raise Conflict("scheme_closed", _("This scheme is not open for applications."))
    accepted = {ApplicantKind.ENTERPRISE: scheme.accepts_enterprises, ApplicantKind.MAKER: scheme.accepts_makers,
                ApplicantKind.FOUNDER: scheme.accepts_founders}
    if not accepted.get(applicant_kind):
        raise Conflict("applicant_kind_not_accepted", _("This scheme does not take applications of this kind."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ServiceError("purpose_required", _("Describe the service you need."), field="purpose")
    money_input(requested_fen, field="requested_fen")
    holder = _holder(actor, applicant_kind, person_name, person_id_number)
    eligibility = _conditions_for(holder, scheme, actor.organisation, on)
    _refuse_unless_eligible(eligibility)
    if not holder.cap_class:
        raise Conflict("no_size_class", _("The register has no size class for the enterprise (employees, revenue "
                                          "or assets missing), so its cap is unknown."))
    cap = scheme_parameter(scheme, f"cap.{holder.cap_class}", on=on)
    if cap is None:
        raise Conflict("no_cap", _("The scheme sets no cap for this kind of applicant on %(date)s.")
                       % {"date": on.isoformat()})
    if requested_fen > cap:
        raise ServiceError("over_cap", _("At most %(cap)s yuan can be requested on %(date)s.")
                           % {"cap": f"{cap / 100:,.2f}", "date": on.isoformat()}, field="requested_fen")
    _refuse_while_unused(scheme, holder, on)
    _refuse_after_count(scheme, holder, on, requested_fen)
    project_key = " ".join((project_key or "").split())[:120]
    _refuse_double_funding(holder, project_key)
    results = [screen(party, scheme=scheme, on=on) for party in holder.parties(actor.organisation)]
    blocked = next((r for r in results if r.blocked), None)
    evidence = ",".join(r.evidence_id for r in results)[:120] if blocked is None else blocked.evidence_id
    with transaction.atomic():
        Scheme.objects.select_for_update().get(pk=scheme.pk)  # one application decision at a time per scheme
        _refuse_while_unused(scheme, holder, on)
        _refuse_after_count(scheme, holder, on, requested_fen)
        application = Application.objects.create(
            scheme=scheme, year=on.year, applicant_kind=applicant_kind, organisation=actor.organisation,
            enterprise=holder.enterprise, person_name=holder.person_name, person_id_number=holder.person_id_number,
            holder_key=holder.key, size_class=holder.cap_class, cap_fen=cap, requested_fen=requested_fen,
            purpose=purpose, project_key=project_key, eligibility=eligibility, screening_evidence=evidence,
            submitted_by=actor.user,
            state=ApplicationState.REFUSED if blocked else ApplicationState.SUBMITTED,
            decision_note=blocked_message(blocked) if blocked else "",
        )
        step(actor=actor, application=application, transition="submit", from_state="", to_state=application.state,
             note=application.decision_note)
        audit_record(actor=actor, verb="vouchers.application_submitted", obj=application,
                     department=scheme.department,
                     params={"scheme": scheme.code, "kind": applicant_kind, "holder": mask_id_number(holder.key)
                             if holder.person_id_number else holder.key, "requested_fen": requested_fen,
                             "cap_fen": cap, "state": application.state, "evidence": evidence})
        if blocked is None:
            officers = members_of(scheme.department, roles={"officer", "admin"})
            if officers:
                notification_send(actor=actor, recipients=officers, organisation=scheme.department,
                                  url=f"/vouchers/manage/applications/{application.pk}/",
                                  subject=_("Voucher application: %(name)s") % {"name": application.holder_name},
                                  body=purpose[:500], email=False)
    if blocked is not None:
        raise Conflict("screening_blocked", application.decision_note)
    return application


# ---- the department's decisions ----------------------------------------------------------------------------

APPLICATION_WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("publicise", gettext_lazy("Pass the review and publicise"), frozenset({ApplicationState.SUBMITTED}),
               ApplicationState.PUBLICISED, "department"),
    Transition("issue", gettext_lazy("Issue the voucher"), frozenset({ApplicationState.PUBLICISED}),
               ApplicationState.ISSUED, "department"),
    Transition("reject", gettext_lazy("Reject"), frozenset(OPEN_STATES), ApplicationState.REJECTED, "department",
               note_required=True),
    Transition("withdraw", gettext_lazy("Withdraw"), frozenset(OPEN_STATES), ApplicationState.WITHDRAWN, "holder"),
)}


def application_transitions_for(actor: Actor, application: Application) -> list[Transition]:
    allowed = []
    for t in APPLICATION_WORKFLOW.values():
        if application.state not in t.sources:
            continue
        check = can_manage_scheme(actor, application.scheme) if t.by == "department" \
            else can_act_as_holder(actor, application)
        if check[0]:
            allowed.append(t)
    return allowed


def _issue(actor: Actor, application: Application, amount_fen: int | None, valid_until: datetime.date | None,
           on: datetime.date) -> Voucher:
    scheme = application.scheme
    amount = application.requested_fen if amount_fen is None else money_input(amount_fen, field="amount_fen")
    if amount > application.requested_fen:
        raise ServiceError("over_request", _("The voucher cannot exceed the amount requested."), field="amount_fen")
    if valid_until is None:
        months = required_parameter(scheme, "validity_months", on=on)
        valid_until = add_months(on, int(months))
    if valid_until <= on:
        raise ServiceError("invalid_valid_until", _("The voucher must be valid after the day it is issued."),
                           field="valid_until")
    scheme_year = scheme_year_for(scheme, on.year)
    voucher = Voucher.objects.create(application=application, scheme_year=scheme_year, code=new_code(),
                                     face_value_fen=amount, issued_on=on, valid_until=valid_until)
    budget = account_for(scheme_year, AccountKind.BUDGET)
    try:
        transfer(actor=actor, kind=JournalKind.ISSUE, key=f"issue:{voucher.pk}", scheme_year=scheme_year,
                 source=budget, target=account_for(scheme_year, AccountKind.VOUCHER, voucher=voucher),
                 amount_fen=amount, voucher=voucher, memo=application.holder_name)
    except Conflict as exc:
        if exc.code == "insufficient_balance":
            raise Conflict("budget_exhausted", _("The %(year)d budget of the scheme cannot cover this voucher.")
                           % {"year": on.year}) from exc
        raise
    account_for(scheme_year, AccountKind.PENDING, voucher=voucher)
    return voucher


def application_transition(*, actor: Actor, application: Application, transition: str, note: str = "",
                           amount_fen: int | None = None, valid_until: datetime.date | None = None,
                           on: datetime.date | None = None) -> Application:
    t = APPLICATION_WORKFLOW.get(transition)
    if t is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    require(can_manage_scheme(actor, application.scheme) if t.by == "department"
            else can_act_as_holder(actor, application))
    note = (note or "").strip()
    if t.note_required and not note:
        raise ServiceError("note_required", _("Give the reason."), field="note")
    on = on or today()
    evidence = ""
    application = Application.objects.select_related("scheme", "organisation", "enterprise").get(pk=application.pk)
    if t.name == "issue":
        if application.publicity_ends_on and on < application.publicity_ends_on:
            raise Conflict("publicity_running", _("The publicity period ends on %(date)s.")
                           % {"date": application.publicity_ends_on})
        holder = Holder(application.applicant_kind, application.holder_key, application.enterprise,
                        application.person_name, application.person_id_number, application.size_class)
        results = [screen(p, scheme=application.scheme, on=on) for p in holder.parties(application.organisation)]
        blocked = next((r for r in results if r.blocked), None)
        if blocked is not None:
            raise Conflict("screening_blocked", blocked_message(blocked))
        evidence = ",".join(r.evidence_id for r in results)
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related(
            "scheme", "scheme__department", "organisation", "enterprise").get(pk=application.pk)
        if application.state not in t.sources:
            raise Conflict("wrong_state", _("This application is %(state)s; that step is not possible now.")
                           % {"state": application.get_state_display()})
        before = application.state
        voucher = None
        if t.name == "publicise":
            application.publicity_ends_on = on + datetime.timedelta(days=application.scheme.publicity_days)
        if t.name == "issue":
            voucher = _issue(actor, application, amount_fen, valid_until, on)
        application.state = t.target
        if t.by == "department":
            application.decision_note = note
            if t.target in (ApplicationState.ISSUED, ApplicationState.REJECTED):
                application.decided_at = timezone.now()
        application.save()
        step(actor=actor, application=application, transition=t.name, from_state=before, to_state=t.target,
             note=note)
        audit_record(actor=actor, verb=f"vouchers.application_{t.name}", obj=application,
                     department=application.scheme.department,
                     params={"from": before, "to": t.target, "note": note[:500], "evidence": evidence,
                             "voucher": voucher.code if voucher else None,
                             "amount_fen": voucher.face_value_fen if voucher else None,
                             "valid_until": voucher.valid_until if voucher else None})
        if t.by == "department":
            recipients = members_of(application.organisation, roles={"legal_rep", "admin", "staff"})
            if recipients:
                notification_send(actor=actor, recipients=recipients, organisation=application.organisation,
                                  url=f"/vouchers/my/applications/{application.pk}/",
                                  subject=_("Your voucher application: %(state)s")
                                  % {"state": application.get_state_display()}, body=note, email=False)
    return application
