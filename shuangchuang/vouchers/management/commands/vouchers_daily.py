"""The vouchers module's daily job: expire vouchers past their validity (unused balances return to the budget) and
settle the payment batches whose delay window has passed. Safe to run more than once a day."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from shuangchuang.core.actor import Actor
from shuangchuang.vouchers.services import settlement_run, vouchers_expire


class Command(BaseCommand):
    help = "Expire vouchers past their validity and settle payment batches past their delay window."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=datetime.date.fromisoformat, default=None,
                            help="Run as of this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, on=None, **options):
        actor = Actor.system("vouchers_daily")
        expired = vouchers_expire(actor=actor, on=on)
        settled = settlement_run(actor=actor, on=on)
        self.stdout.write(f"expired {expired['expired']} vouchers, returned {expired['returned_fen']} fen; "
                          f"settled {settled} payments")
