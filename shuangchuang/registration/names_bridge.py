"""The names module as registration uses it: the reservation an establishment consumes, and the one-year
protection of a name that is deregistered or changed (企业名称登记管理规定 Art 17-18, POLICY-FACTS §2.3).

Registration keeps the reservation by id (Application.reservation_id) and reaches the names module only through
its model and its services `name_reservation_consume` and `name_protect`. Where the names module is not there
(yet), reservations are not required and protection is skipped; `available()` says which.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def _models():
    try:
        from shuangchuang.names import models
    except ImportError:  # pragma: no cover - the names module is part of the project
        return None
    return models if hasattr(models, "NameReservation") else None


def _services():
    try:
        from shuangchuang.names import services
    except ImportError:
        return None
    if hasattr(services, "name_reservation_consume") and hasattr(services, "name_protect"):
        return services
    return None


def available() -> bool:
    return _models() is not None and _services() is not None


def reservation(reservation_id):
    models = _models()
    if models is None or not reservation_id:
        return None
    return models.NameReservation.objects.filter(pk=reservation_id).first()


def reservations_of(user):
    models = _models()
    if models is None or user is None:
        return []
    return list(models.NameReservation.objects.filter(reserved_by=user, status="reserved",
                                                      expires_at__gt=timezone.now()).order_by("-reserved_at"))


def reservation_problem(reservation_id, *, name: str, user, authority, legal_form: str) -> str | None:
    """Why the reservation cannot carry this application, or None when it can (or names are not available)."""
    if not available():
        return None
    if not reservation_id:
        return _("Choose the reserved name (reserve it first with the name self-declaration).")
    found = reservation(reservation_id)
    if found is None:
        return _("The name reservation was not found.")
    if user is not None and found.reserved_by_id != user.pk:
        return _("This name was reserved by someone else.")
    if found.status != "reserved":
        return _("The name reservation is no longer valid (%(status)s).") % {"status": found.get_status_display()}
    if found.expires_at <= timezone.now():
        return _("The name reservation expired on %(date)s.") % {
            "date": timezone.localtime(found.expires_at).date().isoformat()}
    if name and found.name != name:
        return _("The name differs from the reserved name %(reserved)s.") % {"reserved": found.name}
    if authority is not None and found.registration_authority_id != authority.pk:
        return _("The name was reserved with another registration authority.")
    if legal_form and found.legal_form and found.legal_form != legal_form:
        return _("The name was reserved for another legal form.")
    return None


def consume(*, actor, reservation_id, enterprise) -> None:
    services = _services()
    found = reservation(reservation_id)
    if services is None or found is None:
        return
    services.name_reservation_consume(actor=actor, reservation=found, enterprise=enterprise)


def protect(*, actor, name: str, enterprise, reason: str, since: datetime.date) -> None:
    services = _services()
    if services is None:
        return
    services.name_protect(actor=actor, name=name, enterprise=enterprise, reason=reason, since=since)


def record_investment(*, actor, investor, investee, since: datetime.date, source: str) -> None:
    """An enterprise shareholder of a newly established firm: the names module lifts the identical-name rule
    between firms with an investment relation (Art 17)."""
    services = _services()
    if services is None or not hasattr(services, "investment_relation_record"):
        return
    services.investment_relation_record(actor=actor, investor=investor, investee=investee, since=since,
                                        source=source)
