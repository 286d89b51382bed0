"""Permission checks of the vouchers module. Each returns (allowed, reason); services enforce them with require().

Officers manage only the schemes of their own department (registrations, applications, redemptions, settlement of
those schemes). An enterprise acts for itself; a maker space or firm applies for makers; a founder applies as the
legal representative of the firm they founded. A provider sees and acts on its own contracts and redemptions only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import OrganisationKind, Role

Decision = tuple[bool, str]
SIGNERS = {Role.LEGAL_REPRESENTATIVE, Role.ADMIN}
FILERS = {Role.LEGAL_REPRESENTATIVE, Role.STAFF, Role.ADMIN}


def _logged_in(actor: Actor) -> Decision:
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return True, ""


def can_manage_scheme(actor: Actor, scheme=None, department=None) -> Decision:
    """Define a scheme, set its budget, review its providers, applications and redemptions, run its settlement."""
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    own = actor.department
    if own is None:
        return False, _("Only officers of the owning department manage a voucher scheme.")
    department = department if department is not None else (scheme.department if scheme is not None else None)
    if department is not None and department.pk != own.pk:
        return False, _("This scheme belongs to another department; only its officers may act on it.")
    return True, ""


def can_apply(actor: Actor, applicant_kind: str) -> Decision:
    allowed, reason = _logged_in(actor)
    if not allowed or actor.is_system:
        return allowed, reason
    org = actor.organisation
    if org is None:
        return False, _("Act for the enterprise, maker space or firm that applies.")
    if applicant_kind == "enterprise":
        if org.kind != OrganisationKind.ENTERPRISE:
            return False, _("Only an enterprise applies for itself.")
        if not actor.roles & FILERS:
            return False, _("Only the legal representative, an administrator or staff of the enterprise apply.")
        return True, ""
    if applicant_kind == "maker":
        if org.kind not in (OrganisationKind.ENTERPRISE, OrganisationKind.INSTITUTION):
            return False, _("A maker applies through a maker space or a firm.")
        if not actor.roles & FILERS:
            return False, _("Only the legal representative, an administrator or staff of the maker space apply.")
        return True, ""
    if applicant_kind == "founder":
        if org.kind != OrganisationKind.ENTERPRISE or Role.LEGAL_REPRESENTATIVE not in actor.roles:
            return False, _("A founder applies as the legal representative of the firm they founded.")
        return True, ""
    return False, _("Unknown kind of applicant.")


def is_holder(actor: Actor, application) -> bool:
    if actor.user is None or actor.organisation is None:
        return False
    return actor.organisation.pk == application.organisation_id


def can_act_as_holder(actor: Actor, application) -> Decision:
    """Withdraw the application, confirm or decline a contract of its voucher."""
    allowed, reason = _logged_in(actor)
    if not allowed:
        return allowed, reason
    if actor.is_system:
        return True, ""
    if not is_holder(actor, application):
        return False, _("Only the holder of this voucher may do this.")
    if not actor.roles & FILERS:
        return False, _("Only the legal representative, an administrator or staff of the holder may do this.")
    return True, ""


def can_view_application(actor: Actor, application) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if is_holder(actor, application):
        return True, ""
    if can_manage_scheme(actor, application.scheme)[0]:
        return True, ""
    return False, _("This application belongs to someone else.")


def can_act_for_provider(actor: Actor, provider) -> Decision:
    return can_act_for_provider_id(actor, provider.pk)


def can_act_for_provider_id(actor: Actor, provider_id: int) -> Decision:
    """The same as can_act_for_provider, from the provider's id (no need to load the organisation)."""
    allowed, reason = _logged_in(actor)
    if not allowed or actor.is_system:
        return allowed, reason
    if actor.organisation is None or actor.organisation.pk != provider_id:
        return False, _("Only the provider itself may do this.")
    if not actor.roles & FILERS:
        return False, _("Only the legal representative, an administrator or staff of the provider may do this.")
    return True, ""


def can_register_provider(actor: Actor) -> Decision:
    allowed, reason = _logged_in(actor)
    if not allowed or actor.is_system:
        return allowed, reason
    org = actor.organisation
    if org is None or org.kind not in (OrganisationKind.ENTERPRISE, OrganisationKind.INSTITUTION):
        return False, _("Act for the institution or firm that offers the services.")
    if not actor.roles & SIGNERS:
        return False, _("The legal representative or an administrator registers the provider.")
    return True, ""


def can_view_contract(actor: Actor, contract) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.organisation is not None and actor.organisation.pk == contract.provider_id:
        return True, ""
    if is_holder(actor, contract.voucher.application):
        return True, ""
    if can_manage_scheme(actor, contract.voucher.application.scheme)[0]:
        return True, ""
    return False, _("This contract belongs to other parties.")


def can_view_redemption(actor: Actor, redemption) -> Decision:
    return can_view_contract(actor, redemption.contract)
