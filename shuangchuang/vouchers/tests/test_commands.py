"""The scheduled job and the ledger check as commands."""

import datetime
from io import StringIO

from django.core.management import call_command

from shuangchuang.vouchers.models import Voucher
from shuangchuang.vouchers.tests.conftest import TODAY, issued


def test_the_daily_job_expires_vouchers_and_settles_batches(scheme, small, officer):
    voucher = issued(small, scheme, officer, amount_fen=1_000_000)
    out = StringIO()
    call_command("vouchers_daily", on=TODAY + datetime.timedelta(days=400), stdout=out)
    assert "expired 1 vouchers, returned 1000000 fen; settled 0 payments" in out.getvalue()
    assert Voucher.objects.get(pk=voucher.pk).state == "expired"


def test_the_ledger_check_says_ok(scheme, small, officer):
    issued(small, scheme, officer)
    out = StringIO()
    call_command("vouchers_ledger_verify", stdout=out)
    assert out.getvalue().strip() == "ok"
