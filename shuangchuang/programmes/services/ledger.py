"""Writing to the per-enterprise support ledger (used by programmes and by the vouchers module).

    support_ledger_record(*, actor: Actor, enterprise: Enterprise, source_kind: str, source_label: str,
                          source_ref: str, department: Organisation, amount_fen: int, kind: str,
                          occurred_on: datetime.date, project_key: str = "", clause: PolicyPart | None = None,
                          reverses: SupportLedgerEntry | None = None, note: str = "") -> SupportLedgerEntry

- source_kind: "programme" | "voucher" | "other" (SourceKind); kind: "awarded" | "paid" (LedgerKind).
- source_ref: "<app_label>.<model>:<pk>" or "<app_label>:<pk>" — the record behind the row (kept as strings).
- amount_fen: integer fen, > 0 for a new row; a reversal (clawback, cancelled award, refunded voucher) passes
  `reverses=<the row>` and a NEGATIVE amount of at most the reversed row's remaining amount, same enterprise and
  kind. Rows are never edited.
- The caller's own service has already decided that the support is given (its permissions); this function
  refuses only anonymous actors. Call it inside the caller's transaction.atomic() — it writes its own audit event
  ("programmes.ledger_recorded") in the same transaction.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.programmes.models import LedgerKind, SourceKind, SupportLedgerEntry


def _split_ref(source_ref: str) -> tuple[str, str]:
    source_ref = (source_ref or "").strip()
    if ":" in source_ref:
        app, _sep, pk = source_ref.rpartition(":")
        return app[:32], pk[:64]
    return "", source_ref[:64]


def support_ledger_record(*, actor: Actor, enterprise, source_kind: str, source_label: str, source_ref: str,
                          department, amount_fen: int, kind: str, occurred_on: datetime.date,
                          project_key: str = "", clause=None, reverses: SupportLedgerEntry | None = None,
                          note: str = "") -> SupportLedgerEntry:
    if actor.is_anonymous:
        raise NotAllowed("not_allowed", _("Log in first."))
    if source_kind not in SourceKind.values:
        raise ServiceError("invalid_source_kind", _("Unknown source kind."), field="source_kind")
    if kind not in LedgerKind.values:
        raise ServiceError("invalid_kind", _("A ledger row is either awarded or paid."), field="kind")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ServiceError("invalid_amount", _("The amount must be a whole number of fen."), field="amount_fen")
    if not isinstance(occurred_on, datetime.date):
        raise ServiceError("invalid_date", _("Give the date of the support."), field="occurred_on")
    if department is None or enterprise is None:
        raise ServiceError("missing_party", _("Give the enterprise and the department."), field="department")
    app, pk = _split_ref(source_ref)
    with transaction.atomic():
        if reverses is None:
            if amount_fen <= 0:
                raise ServiceError("invalid_amount", _("The amount must be positive; a correction reverses a row."),
                                   field="amount_fen")
        else:
            original = SupportLedgerEntry.objects.select_for_update().get(pk=reverses.pk)
            if original.reverses_id is not None:
                raise Conflict("reversal_of_reversal", _("A reversal cannot itself be reversed."))
            if original.enterprise_id != enterprise.pk or original.kind != kind:
                raise Conflict("reversal_mismatch", _("A reversal must be for the same enterprise and kind."))
            already = original.reversals.aggregate(total=Sum("amount_fen"))["total"] or 0
            remaining = original.amount_fen + already
            if amount_fen >= 0 or -amount_fen > remaining:
                raise ServiceError(
                    "invalid_reversal",
                    _("A reversal is a negative amount of at most %(remaining)s fen.") % {"remaining": remaining},
                    field="amount_fen")
        entry = SupportLedgerEntry.objects.create(
            enterprise=enterprise, source_kind=source_kind, source_label=(source_label or "")[:200], source_app=app,
            source_ref=pk, department=department, clause=clause, project_key=(project_key or "").strip()[:120],
            amount_fen=amount_fen, kind=kind, occurred_on=occurred_on, reverses=reverses,
            note=(note or "")[:300], created_by=actor.label[:160],
        )
        audit_record(actor=actor, verb="programmes.ledger_recorded", obj=entry, department=department,
                     object_label=f"{enterprise.name} · {entry.source_label}"[:200],
                     params={"enterprise": enterprise.uscc, "amount_fen": amount_fen, "kind": kind,
                             "source_kind": source_kind, "source_ref": source_ref, "project_key": entry.project_key,
                             "reverses": reverses.pk if reverses else None, "on": occurred_on})
    return entry
