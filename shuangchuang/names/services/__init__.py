"""Use cases of the names module (one keyword-only function each).

For the registration module (establishment, change, deregistration):
- `name_reserve(*, actor, name, legal_form, registration_authority, industry_code=None, acknowledge_similar=False,
  prior_approval=False, investor_usccs=())` -> NameReservation — runs the check; invalid → ServiceError
  "name_invalid", identical → Conflict "name_identical", similar without acknowledgement → ServiceError
  "similar_not_acknowledged". registration_authority None = settings.NAMES_DEFAULT_AUTHORITY (SZ-MQSA).
- `selectors.active_reservation_for(*, name, authority=None)` -> the reservation in force for that exact name.
- `name_reservation_consume(*, actor, reservation, enterprise)` — on approval of the establishment, by an officer
  of the reservation's authority (or the system); the enterprise's name must be the reserved name (Conflict
  "name_differs"); expired or closed reservations → Conflict "reservation_expired" / "reservation_not_active".
  The enterprise enters the name index at once.
- `name_protect(*, actor, name, enterprise, reason, since, transferred=False)` — reason "deregistered",
  "changed" (pass the OLD name, after saving the new one) or "revoked"; the name is protected for the period
  of that date (1 year). Also re-indexes the enterprise's current name and status.
- `investment_relation_record(*, actor, investor, investee, since=None, source="")` — enterprise shareholders
  of an established firm; lifts the identical rule for their trade names.
- `name_check(*, name, legal_form, registration_authority=None, industry_code=None, investor_usccs=(), on=None)`
  -> CheckResult (.verdict, .issues, .parsed, .as_dict()) — a read, nothing written.
"""

from shuangchuang.names.services.check import name_check
from shuangchuang.names.services.protection import investment_relation_record, name_protect
from shuangchuang.names.services.reservations import (
    name_reservation_consume,
    name_reservation_release,
    name_reservations_expire,
    name_reserve,
)

__all__ = [
    "investment_relation_record",
    "name_check",
    "name_protect",
    "name_reservation_consume",
    "name_reservation_release",
    "name_reservations_expire",
    "name_reserve",
]
