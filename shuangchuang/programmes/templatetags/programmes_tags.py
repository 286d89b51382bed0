from django import template

from shuangchuang.programmes.services.common import fen_text

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen as yuan with thousands separators and two decimals."""
    return fen_text(fen)


@register.filter
def answer(answers, spec):
    """The display of one stored answer for a form field spec."""
    if not isinstance(answers, dict):
        return ""
    value = answers.get(spec["key"])
    if value is None:
        return "—"
    if spec["type"] == "money":
        return fen_text(value)
    if spec["type"] == "choice":
        return dict((c[0], c[1]) for c in spec.get("choices", [])).get(value, value)
    if spec["type"] == "table":
        return value
    return value
