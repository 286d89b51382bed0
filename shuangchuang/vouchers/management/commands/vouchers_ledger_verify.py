"""Check the voucher ledger: every journal sums to zero and every balance row equals the sum of its entries."""

from django.core.management.base import BaseCommand, CommandError

from shuangchuang.vouchers.services import ledger_verify


class Command(BaseCommand):
    help = "Check that journals balance and that balance rows equal their entries; prints ok or the problems."

    def handle(self, *args, **options):
        problems = ledger_verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) in the voucher ledger")
        self.stdout.write("ok")
