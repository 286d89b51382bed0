from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Integer fen → "¥1,234,567.89" (exact: Decimal, never float)."""
    if fen is None or fen == "":
        return ""
    amount = Decimal(int(fen)) / 100
    return f"¥{amount:,.2f}"
