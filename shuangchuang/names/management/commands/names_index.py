"""Build the name index that name checks look up (NameIndexEntry): every registered enterprise's name parts,
active reservations and protected names.

    .venv/bin/shuangchuang names_index            # index what is new or changed since the last run
    .venv/bin/shuangchuang names_index --rebuild  # drop and rebuild everything (after a change of the parsing)
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from shuangchuang.names.index import index_build


class Command(BaseCommand):
    help = "Build or refresh the name index used by name checks."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--chunk", type=int, default=5000)

    def handle(self, *args, rebuild=False, chunk=5000, **options):
        started = time.perf_counter()
        counts = index_build(rebuild=rebuild, chunk=chunk, stdout=self.stdout)
        self.stdout.write(f"name index: {counts} in {time.perf_counter() - started:.1f} s")
