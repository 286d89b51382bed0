"""Permission checks of the names module. Each returns (allowed, reason); services enforce them with require().

Checking a name is open to anyone. Reserving one is for a logged-in person acting for themselves (a founder whose
firm does not exist yet) or for an enterprise as its legal representative or staff. A reservation is seen and
released by the person who made it (or the enterprise it was made for); it is consumed by an officer of its
registration authority when the establishment is approved. Protected names, investment relations and the expiry
job belong to the registration authority (and the system).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import OrganisationKind, Role

Decision = tuple[bool, str]
ENTERPRISE_ROLES = {Role.LEGAL_REPRESENTATIVE, Role.STAFF, Role.ADMIN}


def _authority_officer(actor: Actor, authority_id: int | None) -> bool:
    department = actor.department
    return department is not None and authority_id is not None and department.pk == authority_id


def can_reserve_name(actor: Actor) -> Decision:
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in to reserve a name.")
    organisation = actor.organisation
    if organisation is None:
        return True, ""
    if organisation.kind == OrganisationKind.ENTERPRISE and actor.roles & ENTERPRISE_ROLES:
        return True, ""
    return False, _("Names are reserved by a person for themselves or by an enterprise's legal representative or "
                    "staff; switch to acting for yourself or your enterprise.")


def _is_holder(actor: Actor, reservation) -> bool:
    if actor.user is None:
        return False
    if actor.organisation is None:
        return reservation.reserved_by_id == actor.user.pk and reservation.reserved_for_id is None
    return (reservation.reserved_for_id == actor.organisation.pk and bool(actor.roles & ENTERPRISE_ROLES))


def can_view_reservation(actor: Actor, reservation) -> Decision:
    if actor.is_system or actor.is_platform_admin or _is_holder(actor, reservation):
        return True, ""
    if _authority_officer(actor, reservation.registration_authority_id):
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return False, _("This reservation belongs to someone else.")


def can_release_reservation(actor: Actor, reservation) -> Decision:
    return can_view_reservation(actor, reservation)


def can_consume_reservation(actor: Actor, reservation) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if _authority_officer(actor, reservation.registration_authority_id):
        return True, ""
    return False, _("A reserved name is used when an officer of its registration authority approves the "
                    "establishment.")


def can_protect_name(actor: Actor, enterprise) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if _authority_officer(actor, enterprise.registration_authority_id):
        return True, ""
    return False, _("Only officers of the enterprise's registration authority record a protected name.")


def can_record_investment(actor: Actor, investee) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if _authority_officer(actor, investee.registration_authority_id):
        return True, ""
    return False, _("Only officers of the registration authority record investment relations.")


def can_run_jobs(actor: Actor) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    return False, _("Only the platform runs this job.")
