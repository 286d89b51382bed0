"""Load the voucher schemes and their parameters (idempotent)."""

from django.core.management.base import BaseCommand

from shuangchuang.core.actor import Actor
from shuangchuang.vouchers.services.seed import vouchers_seed


class Command(BaseCommand):
    help = "Load the voucher schemes and the parameters they read (empty where the facts give no number)."

    def handle(self, *args, **options):
        self.stdout.write(str(vouchers_seed(actor=Actor.system("vouchers_seed"))))
