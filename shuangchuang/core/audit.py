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

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(dt_timezone.utc).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "department": event.department_id,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "params": event.params,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _json_safe(params: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(params or {}, ensure_ascii=False, default=str))


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
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
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
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
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
