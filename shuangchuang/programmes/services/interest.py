"""Loan-interest subsidies (start-up guaranteed loans, POLICY-FACTS §11; IP-pledge loans, §4.2): the interest
actually paid and the subsidy proposed, with the working shown. Pure computation (reads parameters, writes
nothing); the officer's page and API show it and pre-fill the proposed amount with it.

Answers the call's form holds (keys; a call with `mechanism = "loan_interest"`):

- either `interest_statements`: a table of the bank's interest statements, columns `paid_on` (date) and
  `interest` (money) — the interest is their sum;
- or the loan: `loan_amount` (money), `annual_rate` (number, percent a year, e.g. 3.65), `drawdown_on` (date),
  `repayments` (table, columns `on` (date) and `principal` (money)), `interest_until` (date; the end of the
  period claimed, default the last repayment), optional `day_basis` (360 or 365: the loan contract's own day
  count). Interest runs on the outstanding balance from the drawdown to each repayment (simple interest, actual
  days ÷ the day count).

The day count is a visible setting of the call (`Call.day_basis`, 360 or 365, default 360 — the usual count of RMB
loan interest, daily rate = annual rate ÷ 360; the policy facts fix none); an answer `day_basis`, when the call's
form asks for it, overrides it for that application. The working states which count was used and why.

Subsidy = share × interest, the share being the call's effective-dated parameter (`Call.rate_parameter`, e.g.
loan.interest_subsidy_share = 0.5 from 2024-09-30) valid on the last day of each period, or the share the officer
enters; a period whose share is not set (a GAP, e.g. the 2016-era share) leaves the subsidy to the officer. The
sum is capped by the call's maximum (`max_award_fen` or its parameter). Decimal throughout; fen rounded half up
once, on the totals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.programmes.services.checks import max_award
from shuangchuang.programmes.services.common import fen_text, parameter

DAY_BASES = (360, 365)


@dataclass
class Period:
    start: datetime.date | None
    end: datetime.date
    days: int
    balance_fen: int
    interest: Decimal  # fen, exact
    share: Decimal | None
    text: str

    @property
    def interest_fen(self) -> int:
        return to_fen(self.interest)


@dataclass
class Working:
    method: str  # "statements" | "schedule" | "" (not computable)
    periods: list[Period] = field(default_factory=list)
    interest_fen: int | None = None
    subsidy_before_cap_fen: int | None = None
    cap_fen: int | None = None
    subsidy_fen: int | None = None
    share_source: str = ""
    day_basis: int | None = None
    day_basis_source: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"method": self.method, "interest_fen": self.interest_fen, "day_basis": self.day_basis,
                "day_basis_source": self.day_basis_source,
                "subsidy_before_cap_fen": self.subsidy_before_cap_fen, "cap_fen": self.cap_fen,
                "subsidy_fen": self.subsidy_fen, "share_source": self.share_source, "notes": self.notes,
                "periods": [{"start": p.start.isoformat() if p.start else None, "end": p.end.isoformat(),
                             "days": p.days, "balance_fen": p.balance_fen, "interest_fen": p.interest_fen,
                             "share": str(p.share) if p.share is not None else None, "text": p.text}
                            for p in self.periods]}


class Unusable(ValueError):
    """An answer the calculator needs is missing or wrong (the message says which)."""


def to_fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _date(value, name: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Unusable(_("%(name)s: give a date.") % {"name": name}) from None


def _money(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Unusable(_("%(name)s: give an amount.") % {"name": name})
    return value


def interest_schedule(*, principal_fen: int, annual_rate_percent: Decimal, drawdown_on: datetime.date,
                      repayments: list[tuple[datetime.date, int]], until: datetime.date | None = None,
                      day_basis: int = 360) -> list[Period]:
    """Interest period by period on the outstanding balance (simple interest, actual days ÷ day_basis)."""
    if principal_fen <= 0:
        raise Unusable(_("The loan amount must be more than zero."))
    if not Decimal(0) < annual_rate_percent < Decimal(100):
        raise Unusable(_("The annual rate is a percentage between 0 and 100."))
    if day_basis not in DAY_BASES:
        raise Unusable(_("The day count is 360 or 365."))
    rows = sorted(repayments)
    if any(on < drawdown_on for on, _amount in rows):
        raise Unusable(_("A repayment is dated before the drawdown."))
    if sum(amount for _on, amount in rows) > principal_fen:
        raise Unusable(_("The repayments add up to more than the loan."))
    until = until or (rows[-1][0] if rows else None)
    if until is None:
        raise Unusable(_("Give the end of the period claimed or the repayments."))
    if until < drawdown_on:
        raise Unusable(_("The period claimed ends before the drawdown."))
    rate = annual_rate_percent / Decimal(100)
    periods, balance, start = [], principal_fen, drawdown_on
    for end, amount in [(on, amount) for on, amount in rows if on <= until] + [(until, 0)]:
        days = (end - start).days
        if days > 0 and balance > 0:
            interest = Decimal(balance) * rate * days / day_basis
            periods.append(Period(start=start, end=end, days=days, balance_fen=balance, interest=interest,
                                  share=None, text=_("%(start)s – %(end)s: %(days)d days × %(balance)s yuan × "
                                                     "%(rate)s%% ÷ %(basis)d = %(interest)s yuan") % {
                                      "start": start.isoformat(), "end": end.isoformat(), "days": days,
                                      "balance": fen_text(balance), "rate": annual_rate_percent.normalize(),
                                      "basis": day_basis, "interest": fen_text(to_fen(interest))}))
        balance -= amount
        start = max(start, end)
    return periods


def _statements(rows: list) -> list[Period]:
    periods = []
    for index, row in enumerate(rows, start=1):
        paid_on = _date(row.get("paid_on"), _("Statement %(n)d") % {"n": index})
        amount = _money(row.get("interest"), _("Statement %(n)d") % {"n": index})
        periods.append(Period(start=None, end=paid_on, days=0, balance_fen=0, interest=Decimal(amount), share=None,
                              text=_("%(on)s: interest paid %(amount)s yuan (bank statement)") % {
                                  "on": paid_on.isoformat(), "amount": fen_text(amount)}))
    return periods


def day_basis_of(answers: dict, default: int = 360) -> tuple[int, bool]:
    """(day count, taken from the answers): the answer `day_basis` when given, else the call's default."""
    raw = answers.get("day_basis")
    if raw in (None, ""):
        return default, False
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise Unusable(_("The day count is 360 or 365.")) from None
    if not number.is_finite() or number not in DAY_BASES:
        raise Unusable(_("The day count is 360 or 365."))
    return int(number), True


def periods_from_answers(answers: dict, day_basis: int = 360) -> tuple[str, list[Period]]:
    statements = answers.get("interest_statements") or []
    if statements:
        return "statements", _statements(statements)
    principal = _money(answers.get("loan_amount"), _("Loan amount"))
    try:
        rate = Decimal(str(answers.get("annual_rate", "")).strip())
    except InvalidOperation:
        raise Unusable(_("Annual rate: give a number.")) from None
    repayments = [(_date(r.get("on"), _("Repayment %(n)d") % {"n": i}),
                   _money(r.get("principal"), _("Repayment %(n)d") % {"n": i}))
                  for i, r in enumerate(answers.get("repayments") or [], start=1)]
    basis, _from_answer = day_basis_of(answers, day_basis)
    until = _date(answers["interest_until"], _("End of the period claimed")) if answers.get("interest_until") \
        else None
    return "schedule", interest_schedule(
        principal_fen=principal, annual_rate_percent=rate,
        drawdown_on=_date(answers.get("drawdown_on"), _("Drawdown date")), repayments=repayments, until=until,
        day_basis=basis)


def loan_interest_subsidy(*, call, answers: dict, share: Decimal | None = None,
                          on: datetime.date | None = None) -> Working:
    """The working for one application's answers: interest paid, share per period, subsidy, cap."""
    answers = answers or {}
    call_basis = getattr(call, "day_basis", None) or 360
    try:
        method, periods = periods_from_answers(answers, call_basis)
    except Unusable as exc:
        return Working(method="", notes=[str(exc)])
    working = Working(method=method, periods=periods)
    if method == "schedule":  # bank statements give the interest itself: no day count
        basis, from_answer = day_basis_of(answers, call_basis)
        working.day_basis = basis
        working.day_basis_source = (
            _("%(n)d days a year (the answer \"day_basis\": the loan contract's count)") % {"n": basis}
            if from_answer else _("%(n)d days a year (the call's setting)") % {"n": basis})
    working.interest_fen = to_fen(sum((p.interest for p in periods), Decimal(0)))
    if share is not None:
        working.share_source = _("share %(share)s entered by the officer") % {"share": share}
    else:
        working.share_source = _("parameter %(key)s on the last day of each period") % {
            "key": call.rate_parameter or "—"}
    missing = []
    for period in periods:
        period.share = share if share is not None else parameter(call.rate_parameter, period.end)
        if period.share is None:
            missing.append(period.end.isoformat())
    if missing:
        working.notes.append(_("The subsidy share is not set for the period(s) ending %(dates)s (a gap in the "
                               "policy facts): enter the share to compute the subsidy; the department decides.")
                             % {"dates": ", ".join(missing)})
        return working
    subsidy = to_fen(sum((p.share * p.interest for p in periods), Decimal(0)))
    working.subsidy_before_cap_fen = subsidy
    working.cap_fen = max_award(call, on or timezone.localdate())
    working.subsidy_fen = min(subsidy, working.cap_fen) if working.cap_fen is not None else subsidy
    if working.cap_fen is not None and subsidy > working.cap_fen:
        working.notes.append(_("Capped at the call's maximum of %(cap)s yuan.") % {"cap": fen_text(working.cap_fen)})
    return working
