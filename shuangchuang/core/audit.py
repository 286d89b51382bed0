"""The hash-chained audit log.

`audit_record` is called by every service inside its transaction. Each event's hash covers its own
content and the previous event's hash; `audit_verify` walks the chain and names the first event whose
content or link does not match.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from datetime import timezone as dt_timezone

from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import AuditChainHead, AuditEvent, Organisation
from shuangchuang.core.rawsql import for_update, insert_objects, mark_inserted

GENESIS_HASH = "0" * 64
_HEAD_TABLE = AuditChainHead._meta.db_table
_EVENT_TABLE = AuditEvent._meta.db_table
# The event's own content, in the order of its INSERT; seq, prev_hash and hash come from the chain's head.
_CONTENT_FIELDS = [AuditEvent._meta.get_field(name) for name in (
    "created_at", "actor", "actor_label", "organisation", "department", "verb", "object_type", "object_id",
    "object_label", "params")]


def _canonical_parts(event: AuditEvent) -> tuple[str, str, str]:
    """The canonical JSON of an event (sorted keys, compact, UTF-8) around its two chain values:
    canonical = before + prev_hash + between + str(seq) + after. The keys sort as actor … params < prev_hash < seq
    < verb, so this is exactly json.dumps(content, sort_keys=True); the split lets PostgreSQL hash the event
    inside the statement that takes the chain's next place (see _append_postgresql)."""
    content = {
        "created_at": event.created_at.astimezone(dt_timezone.utc).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "department": event.department_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "params": event.params,
    }
    head = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    verb = json.dumps(event.verb, ensure_ascii=False)
    return head[:-1] + ',"prev_hash":"', '","seq":', f',"verb":{verb}}}'


def _canonical(event: AuditEvent) -> bytes:
    before, between, after = _canonical_parts(event)
    return f"{before}{event.prev_hash}{between}{event.seq}{after}".encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _json_safe(params: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(params or {}, ensure_ascii=False, default=str))


def _append_portable(event: AuditEvent) -> bool:
    """Lock the head row until commit, chain the event in Python, insert it, move the head (three statements).
    False when there is no head row yet."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_seq, last_hash FROM {_HEAD_TABLE} WHERE id = 1{for_update()}")
        row = cursor.fetchone()
    if row is None:
        return False
    event.seq, event.prev_hash = row[0] + 1, row[1]
    event.hash = event_hash(event)
    insert_objects([event])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD_TABLE} SET last_seq = %s, last_hash = %s, prev_hash = %s WHERE id = 1",
                       [event.seq, event.hash, event.prev_hash])
    return True


_APPEND_POSTGRESQL = (
    f"WITH head AS (UPDATE {_HEAD_TABLE} SET last_seq = last_seq + 1, prev_hash = last_hash, "
    "last_hash = encode(sha256(convert_to(%s || last_hash || %s || (last_seq + 1)::text || %s, 'UTF8')), 'hex') "
    "WHERE id = 1 RETURNING last_seq, prev_hash, last_hash) "
    f"INSERT INTO {_EVENT_TABLE} ({', '.join(f.column for f in _CONTENT_FIELDS)}, seq, prev_hash, hash) "
    f"SELECT {', '.join(['%s'] * len(_CONTENT_FIELDS))}, last_seq, prev_hash, last_hash FROM head "
    "RETURNING id, seq, prev_hash, hash"
)


def _append_postgresql(event: AuditEvent) -> bool:
    """One statement: the UPDATE of the head row takes the chain's lock and next place and hashes the event
    (PostgreSQL's sha256 over the same canonical text as event_hash), and the INSERT stores it. The lock is held
    for this statement and the commit only, not for three round trips, which matters when every audited
    transaction of the platform queues on it. SET sees the row as it was, so prev_hash = the old last_hash.
    False when there is no head row yet."""
    before, between, after = _canonical_parts(event)
    params = [before, between, after]
    params += [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _CONTENT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_POSTGRESQL, params)
        row = cursor.fetchone()
    if row is None:
        return False
    pk, event.seq, event.prev_hash, event.hash = row
    mark_inserted(event, pk)
    return True


def audit_record(
    *,
    actor: Actor,
    verb: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    department: Organisation | None = None,
    params: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction, so the event and the change commit together."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)[:200]
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label,
        organisation=actor.organisation,
        department=department,
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:200],
        params=_json_safe(params),
    )
    append = _append_postgresql if connection.vendor == "postgresql" else _append_portable
    if not append(event):  # the very first event: create the chain's head row, then append
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
        if not append(event):
            raise RuntimeError("the audit chain's head row is missing")
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def audit_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Recompute the chain from the first event; stop at the first event that does not match."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    with transaction.atomic():
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
            if event.seq != expected_seq:
                return VerifyResult(False, checked, event.seq, f"missing event before #{event.seq}")
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.seq, "link to the previous event broken")
            if event_hash(event) != event.hash:
                return VerifyResult(False, checked, event.seq, "content changed after it was written")
            prev_hash = event.hash
            expected_seq += 1
            checked += 1
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
            return VerifyResult(False, checked, checked + 1, "events after the last one found are missing")
    return VerifyResult(True, checked)
