"""`shuangchuang audit verify`: recompute the audit log's hash chain.

Prints "ok" and exits 0 when the chain is intact; otherwise prints
"tampered: event #<seq>: <problem>" on stderr and exits with status 1.
"""

import sys

from django.core.management.base import BaseCommand

from shuangchuang.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` recomputes the hash chain and names the first tampered event."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        actions.add_parser("verify", help="Recompute the hash chain; exit status 1 when an event was tampered with.")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify()

    def verify(self) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write("ok")
            return
        self.stderr.write(f"tampered: event #{result.first_bad_seq}: {result.problem}")
        self.stderr.flush()
        sys.exit(1)
