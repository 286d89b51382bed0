"""Permission checks of registration. Each returns (allowed, reason); services enforce them with require().

- Applicants: a logged-in person applies for an establishment; a change, a deregistration or a custodian
  application is made by the enterprise's legal representative or administrator acting for it.
- The registration authority (its officers acting for the department) reviews and decides; officers of other
  departments see nothing of an application and only object to a deregistration notice.
- Anyone, logged in or not, reads the notices in progress and objects with reasons during the notice.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Role
from shuangchuang.registration.models import Application, ApplicationState, Custodian, Deregistration

Decision = tuple[bool, str]
SIGNERS = {Role.LEGAL_REPRESENTATIVE, Role.ADMIN}
MEMBERS = {Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.STAFF}
EDITABLE = {ApplicationState.DRAFT, ApplicationState.CORRECTIONS_REQUESTED}


def _acts_for(actor: Actor, organisation_id) -> bool:
    return actor.organisation is not None and organisation_id is not None and actor.organisation.pk == organisation_id


def is_authority_officer(actor: Actor, authority_id) -> bool:
    department = actor.department
    return department is not None and department.pk == authority_id


def can_apply_establishment(actor: Actor) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if actor.department is not None:
        return False, _("Officers do not apply for registrations while acting for their department.")
    return True, ""


def can_apply_for_enterprise(actor: Actor, enterprise) -> Decision:
    """Change, deregistration, custodian application: the enterprise's legal representative or administrator."""
    if actor.user is None:
        return False, _("Log in first.")
    if actor.organisation is None or actor.organisation.code != enterprise.uscc:
        return False, _("Act for this enterprise first (only its legal representative or administrator applies).")
    if not actor.roles & SIGNERS:
        return False, _("Only the enterprise's legal representative or administrator applies.")
    return True, ""


def can_view_application(actor: Actor, application: Application) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if actor.is_platform_admin or application.applicant_id == actor.user.pk:
        return True, ""
    if _acts_for(actor, application.organisation_id) and actor.roles & MEMBERS:
        return True, ""
    if is_authority_officer(actor, application.authority_id):
        return True, ""
    return False, _("Only the applicant and the registration authority see this application.")


def can_act_as_applicant(actor: Actor, application: Application) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if application.applicant_id == actor.user.pk:
        return True, ""
    if _acts_for(actor, application.organisation_id) and actor.roles & SIGNERS:
        return True, ""
    return False, _("Only the applicant may do this.")


def can_edit_application(actor: Actor, application: Application) -> Decision:
    allowed, reason = can_act_as_applicant(actor, application)
    if not allowed:
        return allowed, reason
    if application.state not in EDITABLE:
        return False, _("The application can be changed only as a draft or when corrections are asked for.")
    return True, ""


def can_review_application(actor: Actor, application: Application) -> Decision:
    if actor.user is None and not actor.is_system:
        return False, _("Log in first.")
    if actor.is_system or is_authority_officer(actor, application.authority_id):
        return True, ""
    return False, _("Only officers of the registration authority of this application review it.")


def can_view_deregistration(actor: Actor, deregistration: Deregistration) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if actor.is_platform_admin or deregistration.applicant_id == actor.user.pk:
        return True, ""
    if _acts_for(actor, deregistration.organisation_id) and actor.roles & MEMBERS:
        return True, ""
    if is_authority_officer(actor, deregistration.authority_id) or _is_told(actor, deregistration):
        return True, ""
    return False, _("Only the enterprise, the registration authority and the departments told of it see this file.")


def _is_told(actor: Actor, deregistration: Deregistration) -> bool:
    """Officers of the departments told of a deregistration (tax, social insurance, …) see it, to object."""
    from shuangchuang.registration.selectors import rule_value

    department = actor.department
    if department is None:
        return False
    return department.code in (rule_value("deregistration.notify_departments", on=deregistration.notice_start) or [])


def can_act_for_deregistration(actor: Actor, deregistration: Deregistration) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if _acts_for(actor, deregistration.organisation_id) and actor.roles & SIGNERS:
        return True, ""
    return False, _("Only the enterprise's legal representative or administrator may do this.")


def can_decide_deregistration(actor: Actor, deregistration: Deregistration) -> Decision:
    if actor.is_system or is_authority_officer(actor, deregistration.authority_id):
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return False, _("Only officers of the registration authority decide on deregistration.")


def can_record_bar(actor: Actor) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if actor.department is None:
        return False, _("Only department officers record bars.")
    return True, ""


def can_decide_custodian(actor: Actor, custodian: Custodian) -> Decision:
    if actor.is_system or is_authority_officer(actor, custodian.authority_id):
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return False, _("Only officers of the registration authority approve custodian firms.")


def can_serve_for_custodian(actor: Actor, custodian: Custodian) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if _acts_for(actor, custodian.organisation_id) and actor.roles & MEMBERS:
        return True, ""
    return False, _("Only the custodian firm's staff record documents it receives.")


def can_set_rules(actor: Actor) -> Decision:
    from shuangchuang.registration.selectors import is_authority

    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if not is_authority(actor.department):
        return False, _("Only officers of the registration authority set registration rules.")
    return True, ""
