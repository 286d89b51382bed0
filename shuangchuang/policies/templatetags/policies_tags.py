"""Template helpers of the policies pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html_join, escape
from django.utils.safestring import mark_safe

from shuangchuang.policies.rules.text import money_text

register = template.Library()


@register.filter
def highlighted(segments) -> str:
    """(text, is_match) pairs → escaped HTML with <mark> around the matches."""
    if not segments:
        return ""
    return mark_safe("".join(f"<mark>{escape(text)}</mark>" if hit else escape(text) for text, hit in segments))


@register.filter
def money(fen) -> str:
    if fen is None or fen == "":
        return "—"
    return money_text(int(fen))


@register.filter
def outcome_icon(outcome: str) -> str:
    return {"pass": "✓", "fail": "✗"}.get(outcome, "?")


@register.filter
def rate(value) -> str:
    if value is None:
        return "—"
    return f"{(Decimal(str(value)) * 100).normalize():f}%"


@register.simple_tag
def querystring_without(query_string: str, key: str) -> str:
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params.pop(key, None)
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag
def querystring_with(query_string: str, key: str, value: str) -> str:
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params[key] = value
    params.pop("page", None)
    return params.urlencode()


@register.filter
def lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


__all__ = ["format_html_join", "register"]


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def page_link(query_string: str, number: int) -> str:
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params["page"] = str(number)
    return params.urlencode()
