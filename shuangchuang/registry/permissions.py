"""Permission checks of the registry. Each returns (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.registry.models import Enterprise


def acts_for_enterprise(actor: Actor, enterprise: Enterprise) -> bool:
    return actor.organisation is not None and actor.organisation.code == enterprise.uscc


def can_view_enterprise_figures(actor: Actor, enterprise: Enterprise) -> tuple[bool, str]:
    """Employees, revenue, assets and R&D spending are not public: the enterprise itself, its registration
    authority's officers and platform admins see them."""
    if actor.is_anonymous:
        return False, _("Business figures are shown to the enterprise itself and its registration authority only.")
    if actor.is_platform_admin or acts_for_enterprise(actor, enterprise):
        return True, ""
    department = actor.department
    if department is not None and department.pk == enterprise.registration_authority_id:
        return True, ""
    return False, _("Business figures are shown to the enterprise itself and its registration authority only.")


def can_update_enterprise_figures(actor: Actor, enterprise: Enterprise) -> tuple[bool, str]:
    if actor.is_anonymous:
        return False, _("Log in first.")
    if actor.is_platform_admin or actor.is_system:
        return True, ""
    if acts_for_enterprise(actor, enterprise) and actor.roles & {"legal_rep", "staff", "admin"}:
        return True, ""
    return False, _("Only the enterprise itself may report its figures.")


def can_register_enterprise(actor: Actor, registration_authority) -> tuple[bool, str]:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    department = actor.department
    if department is None:
        return False, _("Only officers of a registration authority register enterprises.")
    if registration_authority is None or department.pk != registration_authority.pk:
        return False, _("You can only register enterprises for your own department.")
    return True, ""


def can_change_registration(actor: Actor, enterprise: Enterprise) -> tuple[bool, str]:
    """Registered particulars (name, address, capital, legal representative, status) change only by the
    enterprise's registration authority (through the registration module) or the system."""
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    department = actor.department
    if department is None or department.pk != enterprise.registration_authority_id:
        return False, _("Only the enterprise's registration authority changes its registered particulars.")
    return True, ""
