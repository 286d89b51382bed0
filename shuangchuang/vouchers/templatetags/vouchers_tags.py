"""Template filters of the voucher pages."""

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """12345678 (fen) → 123,456.78"""
    if fen is None or fen == "":
        return "—"
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) / 100:,.2f}"
