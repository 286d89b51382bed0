"""Permission checks of the programmes module. Each returns (allowed, reason); services enforce them with
require(), views show the reason.

- Officers of the programme's department manage its programmes, calls and applications; officers of other
  departments do not.
- People acting for the applicant enterprise (legal representative, staff, administrator) act on its
  applications; other enterprises see nothing of them. A natural person applying to a talent call (real-name
  account) acts on his or her own applications only.
- Expert reviewers see an application only once assigned, after declaring no conflict of interest; a reviewer
  who declared (or is known to have) a conflict is excluded, and the reason says so.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import OrganisationKind, Role

Decision = tuple[bool, str]
ENTERPRISE_FILERS = {Role.LEGAL_REPRESENTATIVE, Role.STAFF, Role.ADMIN}


def _logged_in(actor: Actor) -> Decision:
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return True, ""


def manages_department(actor: Actor, department) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    allowed, reason = _logged_in(actor)
    if not allowed:
        return allowed, reason
    own = actor.department
    if own is None:
        return False, _("Only officers of the programme's department may do this.")
    if own.pk != department.pk:
        return False, _("This programme belongs to another department; only its officers may do this.")
    return True, ""


def can_create_programme(actor: Actor, department) -> Decision:
    return manages_department(actor, department)


def can_manage_programme(actor: Actor, programme) -> Decision:
    return manages_department(actor, programme.department)


def can_manage_call(actor: Actor, call) -> Decision:
    return manages_department(actor, call.programme.department)


def can_officiate(actor: Actor, application) -> Decision:
    """Officer steps on an application: formal screening, decisions, payments, evaluation."""
    return manages_department(actor, application.call.programme.department)


def is_officer_of(actor: Actor, department) -> bool:
    return manages_department(actor, department)[0] and not actor.is_system


def can_apply_as_person(actor: Actor, call=None) -> Decision:
    """A natural person applies to a talent call for himself or herself, with real-name data on the account."""
    if actor.user is None:
        return False, _("Log in first.")
    if not (actor.user.full_name and actor.user.id_number):
        return False, _("Add your real name and ID number to your account before you apply.")
    return True, ""


def can_apply(actor: Actor, call=None) -> Decision:
    if call is not None and getattr(call, "person_applicants", False):
        return can_apply_as_person(actor, call)
    allowed, reason = _logged_in(actor)
    if not allowed:
        return allowed, reason
    organisation = actor.organisation
    if organisation is None or organisation.kind != OrganisationKind.ENTERPRISE:
        return False, _("Act for an enterprise to apply (switch organisation at the top of the page).")
    if not actor.roles & ENTERPRISE_FILERS:
        return False, _("Only the legal representative, staff or administrators of the enterprise may apply.")
    return True, ""


def can_act_as_applicant(actor: Actor, application) -> Decision:
    allowed, reason = _logged_in(actor)
    if not allowed:
        return allowed, reason
    if application.person_id is not None:
        if actor.user is None or actor.user.pk != application.person_id:
            return False, _("This application belongs to another person.")
        return True, ""
    if actor.organisation is None or actor.organisation.pk != application.organisation_id:
        return False, _("This application belongs to another enterprise.")
    if not actor.roles & ENTERPRISE_FILERS:
        return False, _("Only the legal representative, staff or administrators of the enterprise may do this.")
    return True, ""


def assignment_of(actor: Actor, application):
    if actor.user is None:
        return None
    for assignment in application.assignments.all():
        if assignment.reviewer_id == actor.user.pk:
            return assignment
    return None


def is_reviewer(actor: Actor) -> bool:
    if actor.user is None:
        return False
    if Role.REVIEWER in actor.roles:
        return True
    return any(getattr(m, "role", None) == Role.REVIEWER for m in actor.memberships) or \
        actor.user.memberships.filter(role=Role.REVIEWER, is_active=True).exists()


def reviewer_decision(assignment) -> Decision:
    """Whether an assigned reviewer may see the application now."""
    if assignment is None:
        return False, _("You are not assigned to review this application.")
    if assignment.declared_at is None:
        return False, _("Declare your conflicts of interest before you see the application.")
    if assignment.conflict:
        return False, _("You declared a conflict of interest (%(kind)s); you are excluded from this application.") % {
            "kind": assignment.get_conflict_kind_display()}
    return True, ""


def can_view_application(actor: Actor, application) -> Decision:
    if can_officiate(actor, application)[0]:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if application.person_id is not None and actor.user.pk == application.person_id:
        return True, ""
    if actor.organisation is not None and actor.organisation.pk == application.organisation_id:
        return can_act_as_applicant(actor, application)
    if is_reviewer(actor):
        return reviewer_decision(assignment_of(actor, application))
    return False, _("This application belongs to another enterprise.")


def can_declare(actor: Actor, assignment) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if assignment.reviewer_id != actor.user.pk:
        return False, _("This review is assigned to someone else.")
    if assignment.declared_at is not None:
        return False, _("You have already declared for this application.")
    return True, ""


def can_score(actor: Actor, assignment) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if assignment.reviewer_id != actor.user.pk:
        return False, _("This review is assigned to someone else.")
    allowed, reason = reviewer_decision(assignment)
    if not allowed:
        return allowed, reason
    if assignment.submitted_at is not None:
        return False, _("You have already submitted this review.")
    return True, ""
