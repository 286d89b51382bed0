"""Display helpers of the registration pages: money in yuan, labels of stored codes."""

from django import template

from shuangchuang.registration.checks import yuan as _yuan
from shuangchuang.registration.models import ApplicationState, DeregistrationState
from shuangchuang.registration.services.common import role_label as _role_label
from shuangchuang.registry.models import LegalForm

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Integer fen shown as yuan with two decimals (exact)."""
    return _yuan(fen) if isinstance(fen, int) else ""


@register.filter
def legal_form_label(value: str) -> str:
    return str(LegalForm(value).label) if value in LegalForm.values else value or ""


@register.filter
def role_label(value: str) -> str:
    return _role_label(value)


@register.filter
def state_label(value: str) -> str:
    for choices in (ApplicationState, DeregistrationState):
        if value in choices.values:
            return str(choices(value).label)
    return value or ""


@register.filter
def decision_label(value: str) -> str:
    from django.utils.translation import gettext as _

    return {"clear": _("Clear"), "review": _("To be checked by an officer"), "blocked": _("Barred")}.get(value, value)


@register.filter
def item_label(value: str) -> str:
    from django.utils.translation import gettext as _

    return {"name": _("Name"), "address": _("Address"), "capital": _("Registered capital and shareholders"),
            "legal_representative": _("Legal representative"), "scope": _("Business scope")}.get(value, value)


# The labels of the rules (data/rules.json, stored in English), each a msgid of the catalogue.
RULE_LABELS = [
    "Working days to tell the applicant every correction at once",
    "Working days to register an accepted application",
    "Simplified deregistration rule version",
    "Conditions a custodian firm must meet (each can be switched off)",
    "Length of a first hosting contract (months)",
    "Departments told of each simplified deregistration (they may object)",
]
if False:  # for makemessages: the labels above as literal msgids
    from django.utils.translation import gettext_noop as N_

    N_("Working days to tell the applicant every correction at once")
    N_("Working days to register an accepted application")
    N_("Simplified deregistration rule version")
    N_("Conditions a custodian firm must meet (each can be switched off)")
    N_("Length of a first hosting contract (months)")
    N_("Departments told of each simplified deregistration (they may object)")


@register.filter
def rule_label(value: str) -> str:
    """The label of a rule in the page's language."""
    from django.utils.translation import gettext as _

    return _(value) if value in RULE_LABELS else value
