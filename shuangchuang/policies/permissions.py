"""Permission checks of the policies module. Each returns (allowed, reason); services enforce them with require()."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor

Decision = tuple[bool, str]


def _officer_of(actor: Actor, department) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.is_anonymous or actor.user is None:
        return False, _("Log in first.")
    own = actor.department
    if own is None:
        return False, _("Only department officers can do this.")
    if department is None or own.pk != department.pk:
        return False, _("Only officers of the responsible department can do this.")
    return True, ""


def can_manage_policies(actor: Actor, department) -> Decision:
    """Create documents, benefits and answers for a department."""
    return _officer_of(actor, department)


def can_edit_document(actor: Actor, document) -> Decision:
    return _officer_of(actor, document.department)


def can_edit_benefit(actor: Actor, benefit) -> Decision:
    return _officer_of(actor, benefit.department)


def can_set_parameter(actor: Actor, parameter) -> Decision:
    return _officer_of(actor, parameter.department)


def can_curate_faq(actor: Actor, faq) -> Decision:
    return _officer_of(actor, faq.department)


def can_view_matches(actor: Actor, benefit) -> Decision:
    """Which enterprises match a benefit uses non-public figures: the benefit's department's officers only."""
    return _officer_of(actor, benefit.department)


def can_view_eligibility(actor: Actor, enterprise) -> Decision:
    """An enterprise's eligibility: the enterprise itself, department officers and platform admins."""
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.is_anonymous or actor.user is None:
        return False, _("Log in as the enterprise to see what it can get.")
    if actor.organisation is not None and actor.organisation.code == enterprise.uscc:
        return True, ""
    if actor.department is not None:
        return True, ""
    return False, _("Only the enterprise itself and department officers can see its eligibility.")


def can_save_search(actor: Actor) -> Decision:
    if actor.user is None:
        return False, _("Log in to save a search.")
    return True, ""


def can_manage_saved_search(actor: Actor, saved_search) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if saved_search.user_id != actor.user.pk:
        return False, _("This saved search belongs to someone else.")
    return True, ""
