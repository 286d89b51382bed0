"""Redeemed (paid) voucher amounts in the per-enterprise support ledger of the programmes module, written inside
the payment's transaction; a cancelled or refunded payment writes the reversing row. A maker's voucher has no
enterprise in the register, so it is not in that ledger (the voucher ledger still holds it)."""

from __future__ import annotations

import datetime

from shuangchuang.core.actor import Actor


def _record():
    from shuangchuang.programmes.services import support_ledger_record  # imported when used: no import-time tie

    return support_ledger_record


def _label(redemption) -> str:
    scheme = redemption.voucher.application.scheme
    return f"{scheme.name} {redemption.voucher.code} · {redemption.provider.name}"


def support_paid(*, actor: Actor, redemption, on: datetime.date) -> int | None:
    application = redemption.voucher.application
    if application.enterprise_id is None:
        return None
    record = _record()
    entry = record(actor=actor, enterprise=application.enterprise, source_kind="voucher",
                   source_label=_label(redemption), source_ref=f"vouchers.redemption:{redemption.pk}",
                   department=application.scheme.department, amount_fen=redemption.amount_fen, kind="paid",
                   occurred_on=on, project_key=application.project_key or f"voucher:{redemption.voucher.code}")
    return entry.pk


def support_reverse(*, actor: Actor, redemption, on: datetime.date, note: str = "") -> None:
    if redemption.support_entry_id is None:
        return
    record = _record()
    from shuangchuang.programmes.models import SupportLedgerEntry

    original = SupportLedgerEntry.objects.get(pk=redemption.support_entry_id)
    application = redemption.voucher.application
    record(actor=actor, enterprise=application.enterprise, source_kind="voucher", source_label=_label(redemption),
           source_ref=f"vouchers.redemption:{redemption.pk}", department=application.scheme.department,
           amount_fen=-redemption.amount_fen, kind="paid", occurred_on=on, reverses=original,
           project_key=application.project_key or f"voucher:{redemption.voucher.code}", note=note[:300])
