"""R&D super-deduction (研发费用加计扣除): the extra deduction on expensed R&D and the amortisation base of
capitalised R&D, from the rate table of POLICY-FACTS §9 kept as effective-dated parameters rd.*."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.calculators.common import check_amount, fen_times, money_text, percent, required_parameter
from shuangchuang.policies.models import Parameter
from shuangchuang.policies.selectors.parameters import parameter_at, typed_value

FIRM_TYPES = {
    "general": _l("Any eligible enterprise"),
    "tech_sme": _l("Registered tech-SME (科技型中小企业)"),
    "manufacturing": _l("Manufacturing enterprise (manufacturing revenue over 50 %)"),
    "ic_machine_tool": _l("Integrated-circuit or industrial machine-tool enterprise"),
}


@dataclass
class Segment:
    start: datetime.date
    end: datetime.date
    rate: Decimal
    key: str
    source: str


@dataclass
class RdResult:
    tax_year: int
    firm_type: str
    eligible: bool
    extra_deduction_fen: int = 0
    amortisation_base_fen: int = 0
    amortisation_multiplier: Decimal | None = None
    segments: list[Segment] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "tax_year": self.tax_year, "firm_type": self.firm_type, "eligible": self.eligible,
            "extra_deduction_fen": self.extra_deduction_fen, "amortisation_base_fen": self.amortisation_base_fen,
            "amortisation_multiplier": str(self.amortisation_multiplier) if self.amortisation_multiplier else None,
            "rates": [{"from": s.start, "to": s.end, "rate": str(s.rate), "source": s.source} for s in self.segments],
            "steps": self.steps, "sources": list(dict.fromkeys(self.sources)),
        }


def _keys(kind: str, firm_type: str) -> list[str]:
    keys = [f"rd.{kind}.general"]
    if firm_type != "general":
        keys.append(f"rd.{kind}.{firm_type}")
    return keys


def table_years() -> tuple[int, int]:
    first = Parameter.objects.filter(key__startswith="rd.extra_rate.").order_by("valid_from").first()
    return (first.valid_from.year if first else 9999), timezone.localdate().year


def _rate_on(keys: list[str], day: datetime.date, field: str) -> tuple[Decimal, Parameter]:
    """The highest rate of the applicable rows valid on the day; an error when an applicable row is not set."""
    best: tuple[Decimal, Parameter] | None = None
    for key in keys:
        row = parameter_at(key, on=day)
        if row is None:
            continue
        if row.value is None:
            required_parameter(key, day, field)  # raises the "not set" error naming the department
        value = typed_value(row)
        if best is None or value > best[0]:
            best = (value, row)
    if best is None:
        raise ServiceError("outside_table", _("The rate table has no rate for %(date)s.") % {"date": day.isoformat()},
                           field="tax_year")
    return best


def _segments(keys: list[str], year: int) -> list[Segment]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    cuts = {start}
    for row in Parameter.objects.filter(key__in=keys):
        for day in (row.valid_from, row.valid_to + datetime.timedelta(days=1) if row.valid_to else None):
            if day is not None and start < day <= end:
                cuts.add(day)
    days = sorted(cuts)
    segments: list[Segment] = []
    for i, day in enumerate(days):
        last = days[i + 1] - datetime.timedelta(days=1) if i + 1 < len(days) else end
        rate, row = _rate_on(keys, day, "tax_year")
        if segments and segments[-1].rate == rate:
            segments[-1].end = last
        else:
            segments.append(Segment(day, last, rate, row.key, row.source))
    return segments


def _negative_list_hit(industry_division: str, year: int) -> tuple[bool, str]:
    from shuangchuang.registry.models import IndustryDivision

    division = IndustryDivision.objects.filter(code=industry_division).select_related("section").first()
    if division is None:
        raise ServiceError("unknown_industry", _("Unknown industry division (GB/T 4754, two digits)."),
                           field="industry_division")
    row = parameter_at("rd.negative_list", on=datetime.date(year, 12, 31))
    if row is None or row.value is None:
        return False, ""
    listed = typed_value(row)
    if division.code in listed.get("divisions", []) or division.section_id in listed.get("sections", []):
        return True, row.source
    return False, row.source


def rd_super_deduction(*, tax_year: int, firm_type: str, industry_division: str, expensed_fen: int,
                       capitalised_fen: int = 0, expensed_later_fen: int | None = None) -> RdResult:
    """The extra deduction of one tax year. When the rate changes within the year, `expensed_later_fen` is the part
    of the expensed R&D incurred from the date of the change."""
    if firm_type not in FIRM_TYPES:
        raise ServiceError("unknown_firm_type", _("Unknown firm type."), field="firm_type")
    check_amount(expensed_fen, "expensed_fen")
    check_amount(capitalised_fen, "capitalised_fen")
    first, last = table_years()
    if not isinstance(tax_year, int) or tax_year < first or tax_year > last:
        raise ServiceError("year_outside_table", _("The tax year must be between %(first)s and %(last)s, the years "
                                                   "of the rate table.") % {"first": first, "last": last},
                           field="tax_year")
    result = RdResult(tax_year=tax_year, firm_type=firm_type, eligible=True)
    hit, source = _negative_list_hit(industry_division, tax_year)
    if hit:
        result.eligible = False
        result.steps.append(_("Industry %(division)s is on the negative list: no extra deduction.")
                            % {"division": industry_division})
        result.sources.append(source)
        return result
    if tax_year < 2016:
        result.steps.append(_("Before 2016 only R&D in the officially listed fields qualifies."))
    segments = _segments(_keys("extra_rate", firm_type), tax_year)
    result.segments = segments
    if len(segments) > 2:
        raise ServiceError("too_many_rate_changes", _("The rate changes more than once in this year; split the "
                                                      "calculation by period."), field="tax_year")
    if len(segments) == 2:
        if expensed_later_fen is None:
            raise ServiceError(
                "rate_changed_in_year",
                _("The rate changes on %(date)s in this year: give the expensed R&D incurred from that date.")
                % {"date": segments[1].start.isoformat()}, field="expensed_later_fen")
        check_amount(expensed_later_fen, "expensed_later_fen")
        if expensed_later_fen > expensed_fen:
            raise ServiceError("later_above_total", _("The part from the change date cannot exceed the total."),
                               field="expensed_later_fen")
        parts = [(segments[0], expensed_fen - expensed_later_fen), (segments[1], expensed_later_fen)]
    else:
        parts = [(segments[0], expensed_fen)]
    for segment, amount in parts:
        extra = fen_times(amount, segment.rate)
        result.extra_deduction_fen += extra
        result.steps.append(_("%(start)s – %(end)s: %(amount)s × %(rate)s = %(extra)s") % {
            "start": segment.start.isoformat(), "end": segment.end.isoformat(), "amount": money_text(amount),
            "rate": percent(segment.rate), "extra": money_text(extra)})
        result.sources.append(segment.source)
    if capitalised_fen:
        year_end = datetime.date(tax_year, 12, 31)
        multiplier, row = _rate_on(_keys("amortisation", firm_type), year_end, "capitalised_fen")
        result.amortisation_multiplier = multiplier
        result.amortisation_base_fen = fen_times(capitalised_fen, multiplier)
        result.steps.append(_("Capitalised R&D %(amount)s × %(rate)s = amortisation base %(base)s (multiplier in "
                              "force on %(date)s)") % {"amount": money_text(capitalised_fen),
                                                       "rate": percent(multiplier),
                                                       "base": money_text(result.amortisation_base_fen),
                                                       "date": year_end.isoformat()})
        result.sources.append(row.source)
    result.steps.append(_("Extra deduction: %(total)s.") % {"total": money_text(result.extra_deduction_fen)})
    return result
