"""SME size class by the 2011 standard (工信部联企业〔2011〕300号), computed from the table kept as data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 yuan = 1,000,000 fen


@dataclass(frozen=True)
class SizeRule:
    category: str
    metrics: tuple[str, ...]
    sme_ceiling: dict[str, int]
    medium: dict[str, int]
    small: dict[str, int]
    boundary_below_is_strict: bool = True


def _figures(employees: int | None, revenue_fen: int | None, assets_fen: int | None) -> dict[str, Decimal | None]:
    def wan(fen):
        return None if fen is None else Decimal(fen) / FEN_PER_WAN

    return {"employees": None if employees is None else Decimal(employees), "revenue": wan(revenue_fen), "assets": wan(assets_fen)}


def classify(
    rule: SizeRule, *, employees: int | None, revenue_fen: int | None, assets_fen: int | None
) -> str:
    """Return large / medium / small / micro, or "" when a figure the rule needs is missing."""
    figures = _figures(employees, revenue_fen, assets_fen)
    if any(figures[m] is None for m in rule.metrics):
        return ""

    def below(metric: str, limit: int) -> bool:
        value = figures[metric]
        return value < limit if rule.boundary_below_is_strict else value <= limit

    def at_least_all(thresholds: dict[str, int]) -> bool:  # 及以上: the boundary belongs to the class
        return all(figures[m] >= v for m, v in thresholds.items())

    is_sme = any(below(m, v) for m, v in rule.sme_ceiling.items())
    if not is_sme:
        return "large"
    if at_least_all(rule.medium):
        return "medium"
    if at_least_all(rule.small):
        return "small"
    return "micro"
