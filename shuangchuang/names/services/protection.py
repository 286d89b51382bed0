"""Protected names (Art 17 (2)(3)) and investment relations (which lift the identical rule)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import ServiceError, require
from shuangchuang.names import periods
from shuangchuang.names.index import index_enterprise, insert_rows, protected_row
from shuangchuang.names.models import InvestmentRelation, ProtectedName, ProtectionReason
from shuangchuang.names.permissions import can_protect_name, can_record_investment
from shuangchuang.registry.models import Enterprise


def name_protect(*, actor: Actor, name: str, enterprise: Enterprise, reason: str, since: datetime.date,
                 transferred: bool = False) -> ProtectedName:
    """Keep a name that stopped being used — the enterprise was deregistered, changed its name or had its
    registration revoked on `since` — from being registered by others for the protection period of that date
    (1 year, names.periods), unless the name was transferred. Called by the registration module; the
    enterprise's own index row is brought up to date at the same time."""
    require(can_protect_name(actor, enterprise))
    if reason not in ProtectionReason.values:
        raise ServiceError("unknown_reason", _("Unknown reason; use one of: %(reasons)s.")
                           % {"reasons": ", ".join(ProtectionReason.values)}, field="reason")
    name = (name or "").strip()
    if not name:
        raise ServiceError("name_required", _("Enter a name."), field="name")
    period = periods.period(periods.PROTECTION, on=since)
    with transaction.atomic():
        protected = ProtectedName.objects.create(
            name=name, enterprise=enterprise, registration_authority_id=enterprise.registration_authority_id,
            industry_id=enterprise.industry_id, reason=reason, since=since,
            until=periods.add_months(since, period.months), transferred=transferred, source=period.source,
        )
        if not transferred and protected.until >= timezone.localdate():
            insert_rows([protected_row(protected, timezone.now())])
        index_enterprise(enterprise)
        audit_record(actor=actor, verb="names.name_protected", obj=protected,
                     department=enterprise.registration_authority, params={
                         "name": name, "enterprise": enterprise.uscc, "reason": reason, "since": since.isoformat(),
                         "until": protected.until.isoformat(), "source": period.source, "transferred": transferred,
                     })
    return protected


def investment_relation_record(*, actor: Actor, investor: Enterprise, investee: Enterprise,
                               since: datetime.date | None = None, source: str = "") -> InvestmentRelation:
    """Record that `investor` holds shares of `investee` (the registry keeps no shareholdings; the registration
    module records its establishments' enterprise shareholders here)."""
    require(can_record_investment(actor, investee))
    if investor.pk == investee.pk:
        raise ServiceError("same_enterprise", _("An enterprise cannot invest in itself."), field="investor")
    with transaction.atomic():
        relation, created = InvestmentRelation.objects.get_or_create(
            investor=investor, investee=investee, defaults={"since": since, "source": source[:200]})
        if created:
            audit_record(actor=actor, verb="names.investment_recorded", obj=investee,
                         department=investee.registration_authority,
                         params={"investor": investor.uscc, "investee": investee.uscc,
                                 "since": since.isoformat() if since else None, "source": source})
    return relation
