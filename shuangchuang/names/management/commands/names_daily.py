"""The daily names job: expire name reservations past their end (they leave the index, holders are told) and
bring the name index up to date with new or changed enterprises.

    15 1 * * *  cd /srv/shuangchuang && .venv/bin/shuangchuang names_daily

Options: --only expire|index.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from shuangchuang.core.actor import Actor
from shuangchuang.names.index import index_build
from shuangchuang.names.services import name_reservations_expire


class Command(BaseCommand):
    help = "Expire name reservations and refresh the name index (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["expire", "index"])

    def handle(self, *args, only=None, **options):
        if only in (None, "expire"):
            count = name_reservations_expire(actor=Actor.system("names-daily"))
            self.stdout.write(f"expired reservations: {count}")
        if only in (None, "index"):
            counts = index_build()
            self.stdout.write(f"name index: {counts}")
