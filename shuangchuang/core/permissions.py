"""Permission checks of the core module. Each returns (allowed, reason); the reason is shown to the user."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import AuditEvent, Membership, Notification, Organisation, OrganisationKind

Decision = tuple[bool, str]


def can_act_for(user, organisation: Organisation) -> Decision:
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    if not organisation.is_active:
        return False, _("This organisation is no longer active on the platform.")
    if Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists():
        return True, ""
    return False, _("You are not a member of this organisation.")


def can_browse_audit(actor: Actor, department: Organisation | None = None) -> Decision:
    """Officers browse the events of their own department's objects; platform admins browse all."""
    if actor.is_anonymous:
        return False, _("Log in first.")
    if actor.is_platform_admin:
        return True, ""
    own = actor.department
    if own is None:
        return False, _("Only department officers can browse the audit log.")
    if department is not None and department.pk != own.pk:
        return False, _("You can only browse the events of your own department.")
    return True, ""


def can_view_audit_event(actor: Actor, event: AuditEvent) -> Decision:
    allowed, reason = can_browse_audit(actor)
    if not allowed:
        return allowed, reason
    if actor.is_platform_admin:
        return True, ""
    if event.department_id != actor.department.pk:
        return False, _("This event belongs to another department.")
    return True, ""


def can_read_notification(actor: Actor, notification: Notification) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if notification.recipient_id != actor.user.pk:
        return False, _("This message was sent to someone else.")
    return True, ""


def can_manage_api_tokens(actor: Actor) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    return True, ""


def can_manage_members(actor: Actor, organisation: Organisation) -> Decision:
    """Legal representatives and admins of an organisation manage its members; platform admins and system
    commands (demo data, imports) manage all."""
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if actor.is_platform_admin:
        return True, ""
    if actor.organisation is None or actor.organisation.pk != organisation.pk:
        return False, _("You do not act for this organisation.")
    if actor.roles & {"legal_rep", "admin"}:
        return True, ""
    if organisation.kind == OrganisationKind.DEPARTMENT:
        return False, _("Only the department's administrator manages its officers.")
    return False, _("Only the legal representative or an administrator manages members.")
