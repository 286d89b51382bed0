"""The daily registration job: close simplified-deregistration notices whose time to apply has passed.

Run every day from cron (idempotent):

    45 1 * * *  cd /srv/shuangchuang && .venv/bin/shuangchuang registration_daily

Option: --on YYYY-MM-DD (the day to act as; default today).
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from shuangchuang.core.actor import Actor
from shuangchuang.registration.services.deregistration import deregistrations_lapse


class Command(BaseCommand):
    help = "Close simplified-deregistration notices whose time to apply has passed (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Act as on this day (YYYY-MM-DD); default today.")

    def handle(self, *args, on=None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError("--on takes a date written YYYY-MM-DD") from exc
        closed = deregistrations_lapse(actor=Actor.system("registration-daily"), on=day)
        self.stdout.write(f"deregistration notices lapsed: {closed}")
