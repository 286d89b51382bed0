"""Reads of the core module."""

from __future__ import annotations

from django.db.models import QuerySet

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import AuditEvent, Membership, Notification, Organisation, OrganisationKind, User


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__name")
    )


def roles_for(user: User, organisation: Organisation) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(user=user, organisation=organisation, is_active=True).values_list("role", flat=True)
    )


def departments() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True).order_by("code")


def department_by_name(name: str) -> Organisation | None:
    """Find a department by its name, short name or one of its other names (as written in policy texts)."""
    name = name.strip()
    for org in departments():
        if name in {org.name, org.short_name, *org.aliases}:
            return org
    return None


def audit_events_for(actor: Actor, *, department: Organisation | None = None) -> QuerySet[AuditEvent]:
    """Events the actor may browse: its department's, or all for a platform admin (call can_browse_audit first)."""
    events = AuditEvent.objects.select_related("actor", "organisation", "department").order_by("-seq")
    if actor.is_platform_admin:
        return events.filter(department=department) if department is not None else events
    return events.filter(department=actor.department)


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
