"""Redeemed (paid) voucher amounts in the per-enterprise support ledger of the programmes module, written inside
the payment's transaction; a cancelled or refunded payment writes the reversing row. A maker's voucher has no
enterprise in the register, so it is not in that ledger (the voucher ledger still holds it)."""

from __future__ import annotations

import datetime

from django.db import connection

from shuangchuang.core.actor import Actor


_ready: dict[str, bool] = {}


def _record():
    """The programmes module's writer, or None while that module's ledger is not installed (no table yet)."""
    try:
        from shuangchuang.programmes.models import SupportLedgerEntry
        from shuangchuang.programmes.services.ledger import support_ledger_record
    except ImportError:
        return None
    alias = connection.alias
    if alias not in _ready:
        _ready[alias] = SupportLedgerEntry._meta.db_table in connection.introspection.table_names()
    return support_ledger_record if _ready[alias] else None


def _label(redemption) -> str:
    scheme = redemption.voucher.application.scheme
    return f"{scheme.name} {redemption.voucher.code} · {redemption.provider.name}"


def support_paid(*, actor: Actor, redemption, on: datetime.date) -> int | None:
    record = _record()
    application = redemption.voucher.application
    if record is None or application.enterprise_id is None:
        return None
    entry = record(actor=actor, enterprise=application.enterprise, source_kind="voucher",
                   source_label=_label(redemption), source_ref=f"vouchers.redemption:{redemption.pk}",
                   department=application.scheme.department, amount_fen=redemption.amount_fen, kind="paid",
                   occurred_on=on, project_key=f"voucher:{redemption.voucher.code}")
    return entry.pk


def support_reverse(*, actor: Actor, redemption, on: datetime.date, note: str = "") -> None:
    record = _record()
    if record is None or redemption.support_entry_id is None:
        return
    from shuangchuang.programmes.models import SupportLedgerEntry

    original = SupportLedgerEntry.objects.get(pk=redemption.support_entry_id)
    application = redemption.voucher.application
    record(actor=actor, enterprise=application.enterprise, source_kind="voucher", source_label=_label(redemption),
           source_ref=f"vouchers.redemption:{redemption.pk}", department=application.scheme.department,
           amount_fen=-redemption.amount_fen, kind="paid", occurred_on=on, reverses=original,
           project_key=f"voucher:{redemption.voucher.code}", note=note[:300])
