"""Template filters of the credit pages."""

from decimal import Decimal

from django import template

from shuangchuang.core.idnumber import mask_id_number

register = template.Library()


@register.filter
def masked(value: str) -> str:
    """A personal ID number as published: region and last four characters only."""
    return mask_id_number(value or "")


@register.filter
def fen_yuan(value) -> str:
    """Integer fen as yuan with two decimals and thousands separators."""
    if value in (None, ""):
        return "—"
    return f"¥{Decimal(int(value)) / 100:,.2f}"


@register.filter
def percent(value) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""
