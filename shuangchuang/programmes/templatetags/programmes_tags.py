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


@register.filter
def step_label(name):
    """The label of a workflow transition ("create" is the draft being started)."""
    from django.utils.translation import gettext as _

    from shuangchuang.programmes.services.applications import WORKFLOW

    if name == "create":
        return _("Draft started")
    step = WORKFLOW.get(name)
    return step.label if step else name


@register.filter
def state_label(value):
    from shuangchuang.programmes.models import State

    return dict(State.choices).get(value, value)


@register.filter
def masked_id(value):
    """An ID number masked for display."""
    from shuangchuang.core.idnumber import mask_id_number

    return mask_id_number(value or "")
