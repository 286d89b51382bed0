"""The read path of screening, kept lean for city scale.

- `lists_snapshot()`: the lists and their restrictions, kept in the process and reloaded when any list's
  version (or a restriction) changes — one small query per screening instead of three.
- `candidates()`: the entries sharing a look-up key with a query, in force on a day, in one SQL statement over
  the EntryKey index (a bounded number), returned as light `EntryView` rows rather than model instances.
- `key_hits()` / `entries_by_id()`: the same for the re-screen, many keys at once.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from shuangchuang.credit.models import CreditList, Restriction

CANDIDATE_LIMIT = 500


@dataclass(slots=True)
class EntryView:
    """The columns of a list entry that matching, scoring and the result need."""

    pk: int
    credit_list_id: int
    subject_type: str
    name: str
    uscc: str
    org_code: str
    old_registration_number: str
    id_number: str
    legal_representative_id_number: str
    name_key: str
    name_regions: str
    version: int
    listed_on: datetime.date
    reason: str
    authority: str
    enterprise_id: int | None
    is_public: bool
    credit_list: Any = None


_COLUMNS = ("id", "credit_list_id", "subject_type", "name", "uscc", "org_code", "old_registration_number",
            "id_number", "legal_representative_id_number", "name_key", "name_regions", "version", "listed_on",
            "reason", "authority", "enterprise_id", "is_public")
_SELECT = ", ".join(f"e.{c}" for c in _COLUMNS)
_IN_FORCE = ("e.listed_on <= %s AND (e.removed_on IS NULL OR e.removed_on > %s) "
             "AND (e.expires_on IS NULL OR e.expires_on > %s)")


def _listed_on(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _view(row) -> EntryView:
    view = EntryView(*row)
    view.listed_on = _listed_on(view.listed_on)
    view.is_public = bool(view.is_public)
    return view


def _any(column: str, values: list) -> tuple[str, list]:
    """`column = ANY(array)` on PostgreSQL (one parameter however many values), IN (…) elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


# ---- lists ------------------------------------------------------------------------------------------------

@dataclass
class ListsSnapshot:
    signature: tuple
    by_id: dict[int, CreditList] = field(default_factory=dict)
    restrictions: dict[str, list[Restriction]] = field(default_factory=dict)

    @property
    def versions(self) -> dict[str, int]:
        return {c.code: c.version for c in self.by_id.values() if c.is_active}


_snapshot: ListsSnapshot | None = None
_lock = threading.Lock()


def _signature() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id, l.version, l.updated_at, "
            "(SELECT COUNT(*) FROM credit_restriction r WHERE r.credit_list_id = l.id), "
            "(SELECT MAX(r.updated_at) FROM credit_restriction r WHERE r.credit_list_id = l.id) "
            "FROM credit_creditlist l ORDER BY l.id"
        )
        return tuple(tuple(str(v) for v in row) for row in cursor.fetchall())


def lists_snapshot() -> ListsSnapshot:
    global _snapshot
    signature = _signature()
    current = _snapshot
    if current is not None and current.signature == signature:
        return current
    lists = {c.pk: c for c in CreditList.objects.select_related("department")}
    restrictions: dict[str, list[Restriction]] = {}
    for restriction in Restriction.objects.all():
        restriction.credit_list = lists[restriction.credit_list_id]
        restrictions.setdefault(restriction.action, []).append(restriction)
    snapshot = ListsSnapshot(signature=signature, by_id=lists, restrictions=restrictions)
    with _lock:
        _snapshot = snapshot
    return snapshot


def forget_snapshot() -> None:
    global _snapshot
    with _lock:
        _snapshot = None


# ---- entries ----------------------------------------------------------------------------------------------

def candidates(keys: set[str], *, on: datetime.date, snapshot: ListsSnapshot, public_only: bool) -> list[EntryView]:
    """Entries of active, restrictive (and, for the public, public) lists that share a key with the query and are
    in force on the day. One statement: the EntryKey index gives at most CANDIDATE_LIMIT entry ids."""
    if not keys:
        return []
    condition, params = _any("k.key", sorted(keys))
    sql = (f"SELECT {_SELECT} FROM credit_listentry e WHERE e.id IN "
           f"(SELECT k.entry_id FROM credit_entrykey k WHERE {condition} LIMIT {CANDIDATE_LIMIT}) AND {_IN_FORCE}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + [on, on, on])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        view = _view(row)
        credit_list = snapshot.by_id.get(view.credit_list_id)
        if credit_list is None or not credit_list.is_active or not credit_list.is_restrictive:
            continue
        if public_only and not (credit_list.is_public and view.is_public):
            continue
        view.credit_list = credit_list
        found.append(view)
    return found


def key_hits(keys: list[str], *, batch: int = 2000) -> list[tuple[str, int]]:
    """(key, entry id) for every stored key among `keys`. In batches small enough for PostgreSQL to probe the
    key index rather than scan the table."""
    pairs: list[tuple[str, int]] = []
    for start in range(0, len(keys), batch):
        condition, params = _any("k.key", keys[start:start + batch])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT k.key, k.entry_id FROM credit_entrykey k WHERE {condition}", params)
            pairs.extend(cursor.fetchall())
    return pairs


def enterprise_pairs(low: int, high: int, *, near: bool = True) -> list[tuple[int, int]]:
    """(enterprise id, entry id) for every key an enterprise with low < id <= high shares with an entry: a join of
    the two key tables (EnterpriseKey, EntryKey) on their key indexes."""
    sql = ("SELECT ek.enterprise_id, k.entry_id FROM credit_enterprisekey ek "
           "JOIN credit_entrykey k ON k.key = ek.key WHERE ek.enterprise_id > %s AND ek.enterprise_id <= %s")
    if not near:
        sql += " AND ek.key NOT LIKE 'd:%%'"
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high])
        return cursor.fetchall()


def entries_by_id(ids, *, on: datetime.date, snapshot: ListsSnapshot, credit_list_id: int | None = None,
                  batch: int = 5000) -> dict[int, EntryView]:
    ids = sorted(set(ids))
    found: dict[int, EntryView] = {}
    for start in range(0, len(ids), batch):
        condition, params = _any("e.id", ids[start:start + batch])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_SELECT} FROM credit_listentry e WHERE {condition} AND {_IN_FORCE}",
                           params + [on, on, on])
            for row in cursor.fetchall():
                view = _view(row)
                credit_list = snapshot.by_id.get(view.credit_list_id)
                if credit_list is None or not credit_list.is_active or not credit_list.is_restrictive:
                    continue
                if credit_list_id is not None and view.credit_list_id != credit_list_id:
                    continue
                view.credit_list = credit_list
                found[view.pk] = view
    return found
