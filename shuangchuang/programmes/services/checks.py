"""The gates every giving step passes: eligibility (policies rules engine), credit screening (credit module),
the yearly cap on support per enterprise and the refusal of double funding (support ledger). Each returns what
it found so the caller can store it; `refuse_*` raise Conflict with the reason shown to the person acting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.errors import Conflict
from shuangchuang.programmes.models import OPEN_STATES, Application, Call, State
from shuangchuang.programmes.selectors.ledger import project_funded, support_counted
from shuangchuang.programmes.services.common import SCREENER, fen_text, parameter
from shuangchuang.registry.models import EnterpriseStatus


def eligibility_of(call: Call, enterprise, *, on: datetime.date | None = None):
    from shuangchuang.policies.rules import explain

    return explain(call.rule or {"all": []}, enterprise, on=on)


def eligibility_snapshot(explanation) -> dict:
    return {"outcome": explanation.outcome, "conditions": [c.as_dict() for c in explanation.conditions],
            "checked_on": timezone.localdate().isoformat()}


def refuse_ineligible(call: Call, enterprise) -> dict:
    explanation = eligibility_of(call, enterprise)
    snapshot = eligibility_snapshot(explanation)
    if explanation.outcome != "pass":
        failing = [c for c in explanation.conditions if c.outcome != "pass"]
        text = "; ".join(f"{c.requirement} ({c.actual or _('unknown')})" for c in failing[:5])
        raise Conflict("not_eligible", _("The enterprise does not meet the conditions of this call: %(why)s")
                       % {"why": text})
    return snapshot


@dataclass
class ScreeningOutcome:
    blocked: bool
    evidence_id: str
    rep_evidence_id: str = ""
    person_evidence_id: str = ""
    reasons: list[str] = field(default_factory=list)
    needs_review: bool = False


def person_id_of(application) -> str:
    """The ID number of the person a talent call screens, compacted; '' when none: the applicant's own (real-name
    account) when a person applies, else the one the answers name (an employer applying for its talent)."""
    if getattr(application, "person_id", None):
        return "".join((application.person.id_number or "").split()).upper()
    key = application.call.person_id_field
    if not key:
        return ""
    return "".join(str((application.answers or {}).get(key) or "").split()).upper()


def constrained_fields(call) -> list[dict]:
    """The form fields that state a personal condition: required, with a minimum or maximum, or a choice."""
    out = []
    for spec in (call.form_schema or {}).get("fields", []):
        constrained = spec.get("required") or spec.get("min") is not None or spec.get("max") is not None \
            or (spec.get("choices") and spec["type"] == "choice")
        if spec["type"] not in ("file", "table") and constrained:
            out.append(spec)
    return out


def condition_text(spec: dict) -> str:
    label = spec.get("label") or spec["key"]
    parts = []
    if spec.get("min") is not None:
        parts.append(_("at least %(n)s") % {"n": spec["min"]})
    if spec.get("max") is not None:
        parts.append(_("at most %(n)s") % {"n": spec["max"]})
    if spec.get("choices"):
        parts.append(_("one of: %(list)s") % {"list": ", ".join(str(c[1]) for c in spec["choices"])})
    if not parts:
        parts.append(_("answered"))
    return f"{label}: {'; '.join(str(p) for p in parts)}"


def person_eligibility(application) -> dict:
    """A person's eligibility explained from the form answers (the rules engine reads enterprises, so a talent
    call states the personal conditions as the form's validation: required answers, minimum and maximum,
    allowed choices). Each required or constrained field is one condition with the answer given; the outcome is
    'fail' when the form refuses the answer. The account's ID number (GB 11643) is a condition too."""
    from django.core.exceptions import ValidationError

    from shuangchuang.core.idnumber import validate_id_number
    from shuangchuang.programmes.formschema import clean_answers

    call, answers = application.call, application.answers or {}
    _cleaned, errors = clean_answers(call.form_schema, answers, complete=True)
    conditions = []
    for spec in constrained_fields(call):
        value = answers.get(spec["key"])
        if spec["type"] == "choice":
            value = dict((c[0], c[1]) for c in spec.get("choices", [])).get(value, value)
        outcome = "fail" if spec["key"] in errors else ("pass" if value not in (None, "") else "unknown")
        conditions.append({"requirement": condition_text(spec), "actual": "" if value is None else str(value),
                           "outcome": outcome, "note": errors.get(spec["key"], ""), "cite": ""})
    try:
        validate_id_number(person_id_of(application))
        id_outcome = "pass"
    except ValidationError:
        id_outcome = "fail"
    conditions.append({"requirement": _("A valid resident ID number on the account (GB 11643)"), "actual": "",
                       "outcome": id_outcome, "note": "", "cite": ""})
    outcomes = {c["outcome"] for c in conditions}
    outcome = "fail" if "fail" in outcomes else ("unknown" if "unknown" in outcomes else "pass")
    return {"outcome": outcome, "conditions": conditions, "checked_on": timezone.localdate().isoformat(),
            "person": True}


def refuse_person_ineligible(application) -> dict:
    snapshot = person_eligibility(application)
    if snapshot["outcome"] == "fail":
        failing = [c for c in snapshot["conditions"] if c["outcome"] == "fail"]
        raise Conflict("not_eligible", _("The conditions of this call are not met: %(why)s") % {
            "why": "; ".join(c["requirement"] for c in failing[:5])})
    return snapshot


def employer_of(application):
    """The employer a person names (the USCC in the call's employer field), if it is in the register."""
    from shuangchuang.registry.selectors import enterprise_by_uscc

    key = application.call.employer_field
    uscc = "".join(str((application.answers or {}).get(key) or "").split()).upper() if key else ""
    return enterprise_by_uscc(uscc) if uscc else None


def refuse_bad_person_id(application) -> None:
    from django.core.exceptions import ValidationError

    from shuangchuang.core.idnumber import validate_id_number
    from shuangchuang.programmes.services.applications import FormErrors

    key = application.call.person_id_field
    if not key:
        return
    try:
        validate_id_number(person_id_of(application))
    except ValidationError as exc:
        raise FormErrors({key: " ".join(str(m) for m in exc.messages)}) from exc


def screen(application, enterprise, *, screen_rep: bool) -> ScreeningOutcome:
    """Screen the enterprise (its legal representative where the programme says so, and the person a talent call
    names) for special funds.

    Runs outside the caller's transaction so the evidence is kept even when the step is then refused."""
    from shuangchuang.credit.services import Party, screening_run

    call = application.call
    department = call.programme.department  # its officers open the evidence where they decide
    if enterprise is None:  # a natural person applying: screened by ID number only
        result = screening_run(actor=SCREENER, party=Party(name=application.person.full_name,
                                                           id_number=person_id_of(application)),
                               action="special_fund", channel="programmes", deciding_department=department)
        outcome = ScreeningOutcome(blocked=result.blocked, evidence_id=result.evidence_id,
                                   person_evidence_id=result.evidence_id, needs_review=result.needs_review)
        outcome.reasons += [_("the person applying: %(list)s") % {"list": h["list_name"]}
                            for h in result.hits if h.get("restricts")]
        return outcome
    result = screening_run(actor=SCREENER, party=Party(name=enterprise.name, uscc=enterprise.uscc),
                           action="special_fund", channel="programmes", deciding_department=department)
    outcome = ScreeningOutcome(blocked=result.blocked, evidence_id=result.evidence_id,
                               needs_review=result.needs_review)
    if result.blocked:
        outcome.reasons += [f"{h['list_name']}（{h['listed_on']}）" for h in result.hits if h.get("restricts")]
    rep = getattr(enterprise, "legal_representative", None)
    if screen_rep and rep is not None and rep.id_number:
        rep_result = screening_run(actor=SCREENER, party=Party(name=rep.name, id_number=rep.id_number),
                                   action="special_fund", channel="programmes", deciding_department=department)
        outcome.rep_evidence_id = rep_result.evidence_id
        outcome.needs_review = outcome.needs_review or rep_result.needs_review
        if rep_result.blocked:
            outcome.blocked = True
            outcome.reasons += [_("legal representative: %(list)s") % {"list": h["list_name"]}
                                for h in rep_result.hits if h.get("restricts")]
    person_id = person_id_of(application) if application is not None else ""
    if person_id:
        person_result = screening_run(actor=SCREENER, party=Party(id_number=person_id), action="special_fund",
                                      channel="programmes", deciding_department=department)
        outcome.person_evidence_id = person_result.evidence_id
        outcome.needs_review = outcome.needs_review or person_result.needs_review
        if person_result.blocked:
            outcome.blocked = True
            outcome.reasons += [_("the person named in the application: %(list)s") % {"list": h["list_name"]}
                                for h in person_result.hits if h.get("restricts")]
    return outcome


def screening_message(outcome: ScreeningOutcome) -> str:
    return _("A credit list restricts special funds for this applicant: %(lists)s (screening evidence %(id)s).") % {
        "lists": "; ".join(outcome.reasons) or "—", "id": outcome.evidence_id}


def refuse_not_operating(enterprise) -> None:
    if enterprise.status != EnterpriseStatus.OPERATING:
        raise Conflict("not_operating", _("The enterprise is no longer registered as operating (%(status)s).")
                       % {"status": enterprise.get_status_display()})


def annual_cap(call: Call, on: datetime.date | None = None) -> int | None:
    programme = call.programme
    if programme.annual_cap_fen is not None:
        return programme.annual_cap_fen
    return parameter(programme.annual_cap_parameter, on or timezone.localdate())


def max_award(call: Call, on: datetime.date | None = None) -> int | None:
    if call.max_award_fen is not None:
        return call.max_award_fen
    return parameter(call.max_award_parameter, on or timezone.localdate())


def refuse_over_cap(call: Call, enterprise, amount_fen: int, *, already_counted: int = 0) -> None:
    cap = annual_cap(call)
    if cap is None:
        return
    total = support_counted(enterprise=enterprise, year=call.year) - already_counted
    if total + amount_fen > cap:
        raise Conflict("over_annual_cap", _(
            "Support to this enterprise in %(year)d would reach %(total)s yuan, over the cap of %(cap)s yuan "
            "(%(have)s yuan already in the support ledger).") % {
            "year": call.year, "total": fen_text(total + amount_fen), "cap": fen_text(cap), "have": fen_text(total)})


def refuse_discount_over_cap(call: Call, enterprise, value_fen: int) -> None:
    """Innovative industrial space: the value of a rent discount over the lease term is support like any other
    (the support ledger holds it as awarded when the lease is taken), so it passes the same yearly cap."""
    try:
        refuse_over_cap(call, enterprise, value_fen)
    except Conflict as exc:
        raise Conflict("over_annual_cap", _(
            "The rent discount over the lease term is worth %(value)s yuan and counts as support: %(reason)s") % {
            "value": fen_text(value_fen), "reason": exc.message}) from exc


def person_annual_cap(call: Call, on: datetime.date | None = None) -> int | None:
    """The cap on awards to one natural person in a year: the call's, else the programme's amount, else the
    programme's effective-dated parameter on the date (not set there — a GAP — means no cap)."""
    if call.person_annual_cap_fen is not None:
        return call.person_annual_cap_fen
    programme = call.programme
    if programme.person_annual_cap_fen is not None:
        return programme.person_annual_cap_fen
    return parameter(programme.person_annual_cap_parameter, on or timezone.localdate())


def person_counted(application, year: int) -> int:
    """What one person has been awarded in a year (the amounts of the awards to his or her applications to calls
    of that year, less what was clawed back from them), and what is proposed for him or her now (proposed or in
    public notice), this application left out."""
    from django.db.models import Sum

    from shuangchuang.programmes.models import Award, Clawback

    awards = (Award.objects.filter(application__person_id=application.person_id, application__call__year=year)
              .exclude(application_id=application.pk))
    clawed = (Clawback.objects.filter(award__in=awards.values("pk")).aggregate(total=Sum("amount_fen"))["total"]
              or 0)
    awarded = (awards.aggregate(total=Sum("amount_fen"))["total"] or 0) - clawed
    proposed = (Application.objects.filter(person_id=application.person_id, call__year=year,
                                           state__in=[State.PROPOSED, State.PUBLICITY])
                .exclude(pk=application.pk).aggregate(total=Sum("proposed_fen"))["total"] or 0)
    return int(awarded + proposed)


def refuse_person_over_cap(application, amount_fen: int) -> None:
    """A person applying: the awards of the year plus this amount stay within the cap per person, if one is set."""
    if application.person_id is None:
        return
    call = application.call
    cap = person_annual_cap(call)
    if cap is None:
        return
    have = person_counted(application, call.year)
    if have + amount_fen > cap:
        raise Conflict("over_person_cap", _(
            "Awards to this person in %(year)d would reach %(total)s yuan, over the cap of %(cap)s yuan per person "
            "(%(have)s yuan already awarded or proposed).") % {
            "year": call.year, "total": fen_text(have + amount_fen), "cap": fen_text(cap), "have": fen_text(have)})


def formula_limit(call: Call, answers: dict, on: datetime.date | None = None) -> int | None:
    """The share of the base answer the call's rate allows (e.g. 30% of the sale price), or None when the call
    has no formula or the rate is not set on the date (a gap in the facts: the department decides)."""
    if not call.rate_parameter or not call.rate_base_field:
        return None
    rate = parameter(call.rate_parameter, on or timezone.localdate())
    base = (answers or {}).get(call.rate_base_field)
    if rate is None or base is None:
        return None
    return int(Decimal(int(base)) * Decimal(rate))


def refuse_over_max(call: Call, amount_fen: int, answers: dict | None = None) -> None:
    limit = max_award(call)
    if limit is not None and amount_fen > limit:
        raise Conflict("over_maximum", _("At most %(max)s yuan per application in this call.")
                       % {"max": fen_text(limit)})
    formula = formula_limit(call, answers or {})
    if formula is not None and amount_fen > formula:
        raise Conflict("over_formula", _("At most %(rate)s of the answer \"%(field)s\": %(max)s yuan.") % {
            "rate": parameter(call.rate_parameter, timezone.localdate()), "field": call.rate_base_field,
            "max": fen_text(formula)})


def refuse_double_funding(application: Application, *, at_decision: bool = False) -> None:
    programme = application.call.programme
    key = application.project_key
    if not programme.refuse_double_funding or not key:
        return
    own = ("programmes.application", str(application.pk))
    if application.person_id is not None:  # a person: the same person's other applications for the project
        if not at_decision:
            other = (Application.objects.filter(person_id=application.person_id, project_key=key,
                                                state__in=set(OPEN_STATES) | {State.AWARDED})
                     .exclude(pk=application.pk).select_related("call").first())
            if other is not None:
                raise Conflict("double_application", _("The project %(key)s is already in application %(ref)s "
                                                       "(%(call)s).") % {"key": key, "ref": other.reference,
                                                                         "call": other.call.title})
        return
    if project_funded(enterprise=application.enterprise, project_key=key, exclude_ref=own):
        raise Conflict("double_funding", _("The project %(key)s has already received support (see the support "
                                           "ledger); the same project is not funded twice.") % {"key": key})
    states = set(OPEN_STATES) | {State.AWARDED}
    if not at_decision:
        other = (Application.objects.filter(enterprise=application.enterprise, project_key=key, state__in=states)
                 .exclude(pk=application.pk).select_related("call").first())
        if other is not None:
            raise Conflict("double_application", _("The project %(key)s is already in application %(ref)s (%(call)s).")
                           % {"key": key, "ref": other.reference, "call": other.call.title})


def refuse_over_interest_subsidy(application, amount_fen: int) -> None:
    """A loan-interest call: the proposal may not exceed the subsidy the calculator computes from the answers and
    the share parameters. When the calculator cannot compute it (a share not set: a GAP, or unusable answers) the
    department decides and nothing is refused."""
    if application.call.mechanism != "loan_interest":
        return
    from shuangchuang.programmes.services.interest import loan_interest_subsidy

    working = loan_interest_subsidy(call=application.call, answers=application.answers)
    if working.subsidy_fen is not None and amount_fen > working.subsidy_fen:
        raise Conflict("over_interest_subsidy", _(
            "At most %(max)s yuan: the share of the interest actually paid (%(interest)s yuan) the call allows.")
            % {"max": fen_text(working.subsidy_fen), "interest": fen_text(working.interest_fen)})
