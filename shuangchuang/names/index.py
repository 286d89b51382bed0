"""The name index (NameIndexEntry): what every registered, reserved and protected name is compared by.

Derived data, no audit events: rebuilt in full or brought up to date by `shuangchuang names_index`
(registered enterprises whose row changed since it was indexed), and kept current by the names services for
reservations and protected names in the same transaction as the record they index.

Which enterprises count (Art 17): enterprises with a name of their own (branches use their head office's name,
Art 13) that are registered (operating, suspended, in liquidation) or were deregistered or revoked less than the
protection period ago (status_changed_on + period; names.periods). Moved-out firms are registered elsewhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from shuangchuang.core.errors import ServiceError
from shuangchuang.names import periods
from shuangchuang.names.models import IndexSource, NameIndexEntry, NameReservation, ProtectedName
from shuangchuang.names.rules import name_parts
from shuangchuang.registry.models import Enterprise

REGISTERED = frozenset({"operating", "suspended", "liquidating"})
PROTECTED_AFTER = frozenset({"deregistered", "revoked"})
COLUMNS = ("source", "source_id", "authority_id", "name", "trade", "trade_rev", "trade_py", "industry",
           "division", "form", "enterprise_id", "until", "computed_at")
ENTERPRISE_FIELDS = ("pk", "name", "legal_form", "registration_authority_id", "industry_id", "status",
                     "status_changed_on")


@lru_cache(maxsize=4096)
def protected_until(changed_on: datetime.date) -> datetime.date | None:
    try:
        found = periods.period(periods.PROTECTION, on=changed_on)
    except ServiceError:  # a date whose rules give no period
        return None
    return periods.add_months(changed_on, found.months)


def enterprise_row(pk: int, name: str, legal_form: str, authority_id: int | None, industry_id: str | None,
                   status: str, changed_on: datetime.date | None, now: datetime.datetime,
                   today: datetime.date) -> tuple | None:
    """The index row of a registered enterprise, or None when its name does not count."""
    if legal_form == "branch" or not name:
        return None
    until = None
    if status in PROTECTED_AFTER:
        if changed_on is None:
            return None
        if isinstance(changed_on, str):
            changed_on = datetime.date.fromisoformat(changed_on)
        until = protected_until(changed_on)
        if until is None or until < today:
            return None
    elif status not in REGISTERED:
        return None
    parts = name_parts(name)
    if len(parts.trade) < 2:
        return None
    return (IndexSource.ENTERPRISE.value, pk, authority_id, name[:128], parts.trade, parts.trade_rev, parts.pinyin,
            parts.industry, industry_id or "", parts.form, pk, until, now)


def reservation_row(reservation: NameReservation, now: datetime.datetime) -> tuple:
    parts = name_parts(reservation.name)
    return (IndexSource.RESERVATION.value, reservation.pk, reservation.registration_authority_id, reservation.name,
            parts.trade, parts.trade_rev, parts.pinyin, parts.industry, reservation.industry_id or "", parts.form,
            None, timezone.localtime(reservation.expires_at).date(), now)


def protected_row(protected: ProtectedName, now: datetime.datetime) -> tuple:
    parts = name_parts(protected.name)
    return (IndexSource.PROTECTED.value, protected.pk, protected.registration_authority_id, protected.name,
            parts.trade, parts.trade_rev, parts.pinyin, parts.industry, protected.industry_id or "", parts.form,
            protected.enterprise_id, protected.until, now)


def insert_rows(rows: Iterable[tuple]) -> int:
    """Insert index rows (COPY on PostgreSQL, several times faster than INSERT for millions of rows)."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY names_nameindexentry ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    NameIndexEntry.objects.bulk_create([NameIndexEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
                                       batch_size=2000)
    return len(rows)


def replace_row(source: str, source_id: int, row: tuple | None) -> None:
    NameIndexEntry.objects.filter(source=source, source_id=source_id).delete()
    if row is not None:
        NameIndexEntry.objects.create(**dict(zip(COLUMNS, row, strict=True)))


def index_enterprise(enterprise: Enterprise) -> None:
    """Bring one enterprise's row up to date (after registration, a change or deregistration)."""
    now = timezone.now()
    row = enterprise_row(enterprise.pk, enterprise.name, enterprise.legal_form, enterprise.registration_authority_id,
                         enterprise.industry_id, enterprise.status, enterprise.status_changed_on, now,
                         timezone.localdate())
    replace_row(IndexSource.ENTERPRISE.value, enterprise.pk, row)


def _enterprise_chunks(queryset, chunk: int) -> Iterator[list[tuple]]:
    cursor = 0
    while True:
        rows = list(queryset.filter(pk__gt=cursor).order_by("pk").values_list(*ENTERPRISE_FIELDS)[:chunk])
        if not rows:
            return
        cursor = rows[-1][0]
        yield rows


def index_build(*, rebuild: bool = False, chunk: int = 5000, stdout=None) -> dict[str, int]:
    """Index every enterprise that is not indexed or changed since (all of them with rebuild=True), and every
    active reservation and protected name that is missing. Returns counts."""
    today = timezone.localdate()
    enterprises = Enterprise.objects.all()
    if rebuild:
        NameIndexEntry.objects.all().delete()
    else:
        current = NameIndexEntry.objects.filter(source=IndexSource.ENTERPRISE, source_id=OuterRef("pk"),
                                                computed_at__gte=OuterRef("updated_at"))
        enterprises = enterprises.filter(~Exists(current))
    counts = {"enterprises_seen": 0, "enterprise_rows": 0, "reservations": 0, "protected": 0}
    for rows in _enterprise_chunks(enterprises, chunk):
        now = timezone.now()
        made = [r for r in (enterprise_row(*row, now, today) for row in rows) if r is not None]
        with transaction.atomic():
            if not rebuild:
                NameIndexEntry.objects.filter(source=IndexSource.ENTERPRISE,
                                              source_id__in=[row[0] for row in rows]).delete()
            insert_rows(made)
        counts["enterprises_seen"] += len(rows)
        counts["enterprise_rows"] += len(made)
        if stdout is not None and counts["enterprises_seen"] % 100_000 < chunk:
            stdout.write(f"  {counts['enterprises_seen']:,} enterprises\n")
    now = timezone.now()
    with transaction.atomic():
        indexed = NameIndexEntry.objects.filter(source=IndexSource.RESERVATION).values("source_id")
        missing = NameReservation.objects.filter(status="reserved").exclude(pk__in=indexed)
        counts["reservations"] = insert_rows(reservation_row(r, now) for r in missing)
        indexed = NameIndexEntry.objects.filter(source=IndexSource.PROTECTED).values("source_id")
        missing = ProtectedName.objects.filter(until__gte=today, transferred=False).exclude(pk__in=indexed)
        counts["protected"] = insert_rows(protected_row(p, now) for p in missing)
    return counts
