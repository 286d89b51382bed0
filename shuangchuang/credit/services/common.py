"""Helpers shared by the credit services (not use cases themselves)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.db.models import F
from django.forms.models import model_to_dict

from shuangchuang.core.actor import Actor
from shuangchuang.credit.matching import entry_keys, entry_name_fields
from shuangchuang.credit.models import CreditList, EntryKey, EntryRevision, ListEntry

ENTRY_CONTENT_FIELDS = (
    "subject_type", "name", "uscc", "org_code", "old_registration_number", "id_number", "sex", "age",
    "legal_representative", "legal_representative_id_number", "reason", "authority", "document_number",
    "case_number", "obligation", "performance", "filed_on", "listed_on", "expires_on", "extra",
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when it has fewer days: 29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def bump_versions(list_ids: Iterable[int]) -> None:
    ids = sorted(set(list_ids))
    if ids:
        CreditList.objects.filter(pk__in=ids).update(version=F("version") + 1)


def prepare_entry(entry: ListEntry) -> ListEntry:
    """Fill the normalised-name columns of an unsaved or changed entry."""
    for name, value in entry_name_fields(entry.name).items():
        setattr(entry, name, value)
    if entry.subject_type == "person":
        entry.name_key = entry.name_regions = entry.name_form = ""
    return entry


def save_keys(entries: Iterable[ListEntry], *, replace: bool = False) -> None:
    entries = list(entries)
    if replace:
        EntryKey.objects.filter(entry__in=[e.pk for e in entries]).delete()
    EntryKey.objects.bulk_create(
        [EntryKey(entry_id=e.pk, key=k) for e in entries for k in sorted(entry_keys(e))], batch_size=5000
    )


def entry_content(entry: ListEntry) -> dict:
    data = model_to_dict(entry, fields=ENTRY_CONTENT_FIELDS + ("status", "removed_on", "removal_reason", "is_public"))
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


def keep_revision(entry: ListEntry, *, actor: Actor, change: str) -> None:
    EntryRevision.objects.create(entry=entry, version=entry.version, content=entry_content(entry), change=change,
                                 changed_by=actor.label)


def members_of(organisation, roles=None):
    """Active people who act for an organisation (for notifications)."""
    from shuangchuang.core.models import User

    users = User.objects.filter(memberships__organisation=organisation, memberships__is_active=True, is_active=True)
    if roles:
        users = users.filter(memberships__role__in=list(roles))
    return list(users.distinct())
