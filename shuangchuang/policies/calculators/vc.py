"""Venture-capital tax credit (创业投资企业抵扣, 企业所得税法 Art 31): 70 % of an equity investment in an unlisted
SME high-tech enterprise, available in the year the holding reaches 24 months, carried forward without limit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.calculators.common import check_amount, fen_times, money_text, percent, required_parameter
from shuangchuang.policies.rules.facts import shift_months


@dataclass
class InvesteeStatus:
    listed: bool
    high_tech: bool
    employees: int
    annual_sales_fen: int
    total_assets_fen: int


@dataclass
class Investment:
    invested_on: datetime.date
    amount_fen: int
    at_investment: InvesteeStatus
    at_24_months: InvesteeStatus
    investee: str = ""
    disposed_on: datetime.date | None = None


@dataclass
class InvestmentResult:
    investee: str
    invested_on: datetime.date
    amount_fen: int
    eligible: bool
    available_on: datetime.date | None
    credit_fen: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class YearRow:
    year: int
    becomes_available_fen: int
    taxable_income_fen: int | None
    used_fen: int
    taxable_after_fen: int | None
    carry_forward_fen: int


@dataclass
class VcResult:
    investments: list[InvestmentResult]
    years: list[YearRow]
    steps: list[str]
    sources: list[str]

    def as_dict(self) -> dict:
        return {
            "investments": [{"investee": i.investee, "invested_on": i.invested_on, "amount_fen": i.amount_fen,
                             "eligible": i.eligible, "available_on": i.available_on,
                             "available_year": i.available_on.year if i.available_on else None,
                             "credit_fen": i.credit_fen, "reasons": i.reasons} for i in self.investments],
            "years": [{"year": y.year, "becomes_available_fen": y.becomes_available_fen,
                       "taxable_income_fen": y.taxable_income_fen, "used_fen": y.used_fen,
                       "taxable_after_fen": y.taxable_after_fen, "carry_forward_fen": y.carry_forward_fen}
                      for y in self.years],
            "steps": self.steps, "sources": list(dict.fromkeys(self.sources)),
        }


def _status_reasons(status: InvesteeStatus, on: datetime.date, when: str, sources: list[str]) -> list[str]:
    reasons = []
    if status.listed:
        reasons.append(_("The investee was listed %(when)s.") % {"when": when})
    if not status.high_tech:
        reasons.append(_("The investee was not a recognised high-tech enterprise %(when)s.") % {"when": when})
    limits = [("vc.investee.max_employees", status.employees, _("employees")),
              ("vc.investee.max_sales", status.annual_sales_fen, _("annual sales")),
              ("vc.investee.max_assets", status.total_assets_fen, _("total assets"))]
    for key, value, label in limits:
        row, limit = required_parameter(key, on)
        sources.append(row.source)
        if value > limit:
            shown = money_text(limit) if row.kind == "money" else str(limit)
            reasons.append(_("The investee's %(what)s were above %(limit)s %(when)s.") % {
                "what": label, "limit": shown, "when": when})
    return reasons


def _check_status(status: InvesteeStatus, field_name: str) -> None:
    check_amount(status.employees, f"{field_name}.employees")
    check_amount(status.annual_sales_fen, f"{field_name}.annual_sales_fen")
    check_amount(status.total_assets_fen, f"{field_name}.total_assets_fen")


def vc_tax_credit(*, investments: list[Investment], taxable_income: dict[int, int]) -> VcResult:
    """The credit of each investment, the year it becomes available, and its use and carry-forward by year.

    `taxable_income` maps a tax year to the taxable income before the credit (a loss is a negative amount)."""
    if not investments:
        raise ServiceError("no_investments", _("Give at least one investment."), field="investments")
    if not taxable_income:
        raise ServiceError("no_income", _("Give the taxable income of at least one year."), field="taxable_income")
    steps, sources, results = [], [], []
    for index, investment in enumerate(investments):
        prefix = f"investments[{index}]"
        check_amount(investment.amount_fen, f"{prefix}.amount_fen", allow_zero=False)
        _check_status(investment.at_investment, f"{prefix}.at_investment")
        _check_status(investment.at_24_months, f"{prefix}.at_24_months")
        if investment.disposed_on is not None and investment.disposed_on < investment.invested_on:
            raise ServiceError("dates_inverted", _("The sale is before the investment."), field=f"{prefix}.disposed_on")
        holding_row, months = required_parameter("vc.holding_months", investment.invested_on, f"{prefix}.invested_on")
        available_on = shift_months(investment.invested_on, months)
        if investment.disposed_on is not None and investment.disposed_on < available_on:
            raise ServiceError("holding_too_short",
                               _("The holding must last %(months)s months: sold on %(sold)s, before %(date)s.")
                               % {"months": months, "sold": investment.disposed_on.isoformat(),
                                  "date": available_on.isoformat()}, field=f"{prefix}.disposed_on")
        rate_row, rate = required_parameter("vc.credit_rate", available_on, f"{prefix}.invested_on")
        sources += [holding_row.source, rate_row.source]
        reasons = _status_reasons(investment.at_investment, investment.invested_on, _("at the investment"), sources)
        reasons += _status_reasons(investment.at_24_months, available_on, _("when the holding reached 24 months"),
                                   sources)
        credit = 0 if reasons else fen_times(investment.amount_fen, rate)
        results.append(InvestmentResult(investment.investee, investment.invested_on, investment.amount_fen,
                                        not reasons, available_on, credit, reasons))
        if reasons:
            steps.append(_("%(investee)s: no credit — %(reasons)s") % {"investee": investment.investee or prefix,
                                                                      "reasons": " ".join(reasons)})
        else:
            steps.append(_("%(investee)s: %(amount)s × %(rate)s = %(credit)s, available from %(date)s (holding of "
                           "%(months)s months).") % {"investee": investment.investee or prefix,
                                                     "amount": money_text(investment.amount_fen),
                                                     "rate": percent(rate), "credit": money_text(credit),
                                                     "date": available_on.isoformat(), "months": months})
    for year, income in taxable_income.items():
        if isinstance(income, bool) or not isinstance(income, int) or not isinstance(year, int):
            raise ServiceError("invalid_income", _("Taxable income is whole fen per year."), field="taxable_income")
        if not 2008 <= year <= 2100:
            raise ServiceError("year_outside_table", _("Tax years start in 2008, when the credit was introduced."),
                               field="taxable_income")
    available_by_year: dict[int, int] = {}
    for result in results:
        if result.credit_fen:
            available_by_year[result.available_on.year] = (available_by_year.get(result.available_on.year, 0)
                                                           + result.credit_fen)
    first = min([*taxable_income, *available_by_year])
    last = max([*taxable_income, *available_by_year])
    years, pool = [], 0
    for year in range(first, last + 1):
        becomes = available_by_year.get(year, 0)
        pool += becomes
        income = taxable_income.get(year)
        used = min(pool, max(0, income)) if income is not None else 0
        pool -= used
        years.append(YearRow(year, becomes, income, used, None if income is None else income - used, pool))
        if used:
            steps.append(_("%(year)s: credit used %(used)s of taxable income %(income)s; carried forward %(carry)s.")
                         % {"year": year, "used": money_text(used), "income": money_text(income),
                            "carry": money_text(pool)})
    return VcResult(results, years, steps, sources)
