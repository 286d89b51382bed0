"""Permission checks of the credit module. Each returns (allowed, reason); services enforce them with require().

Officers manage only the lists of their own department (and those lists' entries, restrictions, imports and
repair applications); nobody edits another department's entries. Screening a name or a code is open to anyone,
like a public credit query; screening by personal ID number and bulk screening are for officers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation, Role

Decision = tuple[bool, str]
ENTERPRISE_SIGNERS = {Role.LEGAL_REPRESENTATIVE, Role.ADMIN}
ENTERPRISE_FILERS = {Role.LEGAL_REPRESENTATIVE, Role.STAFF, Role.ADMIN}


def is_officer(actor: Actor) -> bool:
    return actor.department is not None


def _manages_department(actor: Actor, department: Organisation) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.is_anonymous or actor.user is None:
        return False, _("Log in first.")
    own = actor.department
    if own is None:
        return False, _("Only officers of the issuing department manage this list.")
    if own.pk != department.pk:
        return False, _("This list belongs to another department; only its officers may change it.")
    return True, ""


def can_create_list(actor: Actor, department: Organisation | None = None) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if actor.department is None:
        return False, _("Only department officers define lists.")
    if department is not None and department.pk != actor.department.pk:
        return False, _("You can only define lists of your own department.")
    return True, ""


def can_manage_list(actor: Actor, credit_list) -> Decision:
    """Change the list's rules, entries, restrictions; import into it; start its re-screen."""
    return _manages_department(actor, credit_list.department)


def can_edit_entry(actor: Actor, entry) -> Decision:
    return _manages_department(actor, entry.credit_list.department)


def can_view_restricted_entry_data(actor: Actor, entry) -> Decision:
    """Full personal ID numbers and non-public entries: the issuing department and platform admins."""
    return _manages_department(actor, entry.credit_list.department)


def can_see_non_public_lists(actor: Actor) -> Decision:
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return True, ""
    return False, _("Lists that are not public are shown to department officers only.")


def can_screen(actor: Actor, *, by_id_number: bool) -> Decision:
    if not by_id_number:
        return True, ""
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return True, ""
    return False, _("Screening by personal ID number is for department officers.")


def can_screen_bulk(actor: Actor) -> Decision:
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    return False, _("Bulk screening is for department officers.")


def can_adjudicate(actor: Actor, entry) -> Decision:
    """Whether a screened party is the listed party is decided by an officer (the one making the decision on
    the action, or the issuing department)."""
    if actor.is_platform_admin:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if not is_officer(actor):
        return False, _("Only department officers decide whether a party is the listed one.")
    return True, ""


def can_view_evidence(actor: Actor, evidence) -> Decision:
    """A public screening's evidence is a receipt anyone holding its number may read. Evidence of an officer's
    screening (which may name non-public lists or an ID number) is shown to that person, officers of their
    department, officers of the department deciding on the action, and platform admins."""
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if evidence.scope == "public" and not evidence.query.get("id_number"):
        return True, ""
    if actor.user is not None and evidence.actor_id == actor.user.pk:
        return True, ""
    if actor.department is not None and actor.department.pk in (evidence.organisation_id,
                                                                 evidence.deciding_department_id):
        return True, ""
    return False, _("This evidence belongs to another department.")


def can_see_who_screened(actor: Actor, evidence) -> Decision:
    """Who asked is shown to that person, officers and platform admins, not to anyone else holding the number."""
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return True, ""
    if actor.user is not None and evidence.actor_id == actor.user.pk:
        return True, ""
    return False, _("Who asked is not shown.")


def can_view_job(actor: Actor, job) -> Decision:
    if actor.is_system or actor.is_platform_admin:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if actor.user.pk == job.created_by_id:
        return True, ""
    if actor.department is not None and job.department_id == actor.department.pk:
        return True, ""
    return False, _("This job belongs to another department.")


def can_run_late_filers(actor: Actor, credit_list) -> Decision:
    return _manages_department(actor, credit_list.department)


def acts_for_uscc(actor: Actor, uscc: str) -> bool:
    return bool(uscc) and actor.organisation is not None and actor.organisation.code == uscc


def can_file_annual_report(actor: Actor, enterprise) -> Decision:
    if actor.is_system:
        return True, ""
    if actor.user is None:
        return False, _("Log in first.")
    if not acts_for_uscc(actor, enterprise.uscc):
        return False, _("Only the enterprise itself files its annual report.")
    if not actor.roles & ENTERPRISE_FILERS:
        return False, _("Only the legal representative, an administrator or staff of the enterprise file its report.")
    return True, ""


def entry_concerns_actor(actor: Actor, entry) -> bool:
    if actor.user is None:
        return False
    if entry.subject_type == "person":
        return bool(entry.id_number) and entry.id_number == (actor.user.id_number or "")
    uscc = entry.uscc or (entry.enterprise.uscc if entry.enterprise_id else "")
    return acts_for_uscc(actor, uscc)


def can_apply_repair(actor: Actor, entry) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if not entry_concerns_actor(actor, entry):
        return False, _("Only the listed party applies for repair of its own entry.")
    if entry.subject_type != "person" and not actor.roles & ENTERPRISE_SIGNERS:
        return False, _("The legal representative or an administrator of the enterprise applies for repair.")
    return True, ""


def can_act_as_applicant(actor: Actor, application) -> Decision:
    if actor.user is None:
        return False, _("Log in first.")
    if actor.user.pk == application.applicant_id:
        return True, ""
    if application.organisation_id and actor.organisation is not None \
            and actor.organisation.pk == application.organisation_id and actor.roles & ENTERPRISE_SIGNERS:
        return True, ""
    return False, _("Only the applicant may do this.")


def can_review_repair(actor: Actor, application) -> Decision:
    """Repair decisions belong to the issuing department only (not to platform admins)."""
    if actor.user is None:
        return False, _("Log in first.")
    own = actor.department
    if own is None or own.pk != application.entry.credit_list.department_id:
        return False, _("Only officers of the issuing department decide on repair.")
    return True, ""


def can_view_repair(actor: Actor, application) -> Decision:
    if actor.is_platform_admin or actor.is_system:
        return True, ""
    if can_act_as_applicant(actor, application)[0] or can_review_repair(actor, application)[0]:
        return True, ""
    if application.organisation_id and actor.organisation is not None \
            and actor.organisation.pk == application.organisation_id:
        return True, ""
    return False, _("This application belongs to someone else.")
