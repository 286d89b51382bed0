"""Changes to a scheme after it was created, by officers of its owning department (each audited):

- its eligibility rule (checked by the policies rules engine) and its parameter keys ({role: key});
- closing it: no new applications; applications already made go on, and vouchers already issued run to expiry;
- reducing a year's budget, at most down to what is not yet committed (the balance of the budget account: money
  not issued to vouchers). The reduction is a movement back to the appropriation account — the mirror of an
  appropriation — never an edit of earlier entries."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.policies.rules import validate_rule
from shuangchuang.vouchers.models import AccountKind, Journal, JournalKind, Scheme, SchemeYear
from shuangchuang.vouchers.models.schemes import PARAMETER_ROLES
from shuangchuang.vouchers.permissions import can_manage_scheme
from shuangchuang.vouchers.services.common import money_input
from shuangchuang.vouchers.services.ledger import account_for, lock_accounts, transfer

BUDGET_KINDS = (JournalKind.APPROPRIATE, JournalKind.REDUCE)


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ServiceError("note_required", _("Give the decision or document behind the change."), field="note")
    return note[:200]


def clean_parameters(parameters: dict) -> dict[str, str]:
    if not isinstance(parameters, dict):
        raise ServiceError("invalid_parameters", _("Give the parameters as “role = key” pairs."), field="parameters")
    unknown = sorted(set(parameters) - set(PARAMETER_ROLES))
    if unknown:
        raise ServiceError("invalid_parameters", _("Unknown parameter roles: %(roles)s.") % {"roles": ", ".join(unknown)},
                           field="parameters")
    cleaned = {role: str(key).strip() for role, key in parameters.items()}
    if any(not key for key in cleaned.values()):
        raise ServiceError("invalid_parameters", _("Every role needs a parameter key."), field="parameters")
    return cleaned


def scheme_change(*, actor: Actor, scheme: Scheme, note: str, rule: dict | None = None,
                  parameters: dict | None = None) -> Scheme:
    """Change the eligibility rule and/or the parameter keys (None leaves it as it is). Applications already
    decided keep the eligibility explained when they were made; new acts read the new rule and keys."""
    require(can_manage_scheme(actor, scheme))
    note = _note(note)
    new_rule = validate_rule(rule) if rule is not None else None
    new_parameters = clean_parameters(parameters) if parameters is not None else None
    if new_rule is None and new_parameters is None:
        raise ServiceError("nothing_to_change", _("Change the rule or the parameters."), field="rule")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        before = {"rule": scheme.rule, "parameters": scheme.parameters}
        fields = []
        if new_rule is not None:
            scheme.rule = new_rule
            fields.append("rule")
        if new_parameters is not None:
            scheme.parameters = new_parameters
            fields.append("parameters")
        scheme.save(update_fields=fields)
        audit_record(actor=actor, verb="vouchers.scheme_changed", obj=scheme, department=scheme.department,
                     params={"note": note, "before": {f: before[f] for f in fields},
                             "after": {f: getattr(scheme, f) for f in fields}})
    return scheme


def scheme_close(*, actor: Actor, scheme: Scheme, note: str) -> Scheme:
    """Close the scheme to new applications; what is under way goes on and issued vouchers run to expiry."""
    require(can_manage_scheme(actor, scheme))
    note = _note(note)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if not scheme.is_open:
            raise Conflict("scheme_closed", _("This scheme is already closed."))
        scheme.is_open = False
        scheme.save(update_fields=["is_open"])
        audit_record(actor=actor, verb="vouchers.scheme_closed", obj=scheme, department=scheme.department,
                     params={"note": note})
    return scheme


def budget_movement_key(scheme_year: SchemeYear) -> str:
    """A key unique per appropriation or reduction of a scheme year (call with the scheme year locked)."""
    count = Journal.objects.filter(scheme_year=scheme_year, kind__in=BUDGET_KINDS).count()
    return f"budget:{scheme_year.pk}:{count}"


def scheme_budget_reduce(*, actor: Actor, scheme: Scheme, year: int, amount_fen: int, note: str) -> SchemeYear:
    """Reduce a year's budget by `amount_fen`, never below what is committed (issued to vouchers or on its way to
    providers): refused with the amount that can still be taken back."""
    require(can_manage_scheme(actor, scheme))
    money_input(amount_fen, field="amount_fen")
    note = _note(note)
    with transaction.atomic():
        scheme_year = SchemeYear.objects.select_for_update().filter(scheme=scheme, year=year).first()
        if scheme_year is None:
            raise Conflict("no_budget", _("The scheme has no budget for %(year)s.") % {"year": year})
        budget = account_for(scheme_year, AccountKind.BUDGET)
        appropriation = account_for(scheme_year, AccountKind.APPROPRIATION)
        locked = lock_accounts([budget, appropriation])
        free = locked[budget.pk].balance_fen
        if amount_fen > free:
            raise Conflict("budget_committed",
                           _("Only %(free)s fen of the %(year)s budget is not committed; it cannot be reduced by "
                             "%(amount)s fen.") % {"free": free, "year": year, "amount": amount_fen})
        journal = transfer(actor=actor, kind=JournalKind.REDUCE, key=budget_movement_key(scheme_year),
                           scheme_year=scheme_year, source=budget, target=appropriation, amount_fen=amount_fen,
                           memo=note, locked=locked)
        scheme_year.budget_fen -= amount_fen
        scheme_year.save(update_fields=["budget_fen"])
        audit_record(actor=actor, verb="vouchers.budget_reduced", obj=scheme_year, department=scheme.department,
                     params={"year": year, "amount_fen": amount_fen, "journal": journal.pk, "note": note,
                             "uncommitted_before_fen": free})
    return scheme_year


__all__ = ["scheme_budget_reduce", "scheme_change", "scheme_close"]
