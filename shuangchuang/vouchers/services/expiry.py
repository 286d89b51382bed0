"""Expiry: a voucher past its validity returns its unused balance to the budget of its scheme year (a scheduled
job, `shuangchuang vouchers_daily`). Money still held by a redemption under review comes back to the budget when
that redemption is rejected."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import require
from shuangchuang.vouchers.models import Account, AccountKind, JournalKind, Voucher, VoucherState
from shuangchuang.vouchers.services.common import today
from shuangchuang.vouchers.services.ledger import account_for, transfer


def vouchers_expire(*, actor: Actor, on: datetime.date | None = None) -> dict[str, int]:
    """Expire the vouchers whose last valid day is before `on`; one transaction per voucher, safe to run again."""
    if not actor.is_system:
        require((False, _("Expiry runs as a scheduled job.")))
    on = on or today()
    expired = returned = 0
    for voucher_id in Voucher.objects.filter(state=VoucherState.ACTIVE, valid_until__lt=on).values_list("pk",
                                                                                                       flat=True):
        with transaction.atomic():
            voucher = Voucher.objects.select_for_update().select_related(
                "scheme_year", "application__scheme__department").get(pk=voucher_id)
            if voucher.state != VoucherState.ACTIVE:
                continue
            scheme_year = voucher.scheme_year
            account = account_for(scheme_year, AccountKind.VOUCHER, voucher=voucher)
            balance = Account.objects.select_for_update().get(pk=account.pk).balance_fen
            if balance > 0:
                transfer(actor=actor, kind=JournalKind.EXPIRE, key=f"expire:{voucher.pk}", scheme_year=scheme_year,
                         source=account, target=account_for(scheme_year, AccountKind.BUDGET), amount_fen=balance,
                         voucher=voucher, memo=voucher.code)
                returned += balance
            voucher.state = VoucherState.EXPIRED
            voucher.save(update_fields=["state"])
            audit_record(actor=actor, verb="vouchers.voucher_expired", obj=voucher,
                         department=voucher.application.scheme.department,
                         params={"returned_fen": balance, "valid_until": voucher.valid_until, "on": on})
            expired += 1
    return {"expired": expired, "returned_fen": returned}
