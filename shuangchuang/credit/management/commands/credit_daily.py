"""The daily credit job: list late annual-report filers on the abnormal-operation list (and notify them), move
entries unremedied for three years to the serious-violation list, close entries whose period ended, and bring
the look-up keys of new or changed enterprises up to date (so the next re-screen only joins key tables).

Run every day from cron (each step is idempotent and does nothing before its date):

    30 1 * * *  cd /srv/shuangchuang && .venv/bin/shuangchuang credit_daily

Options: --on YYYY-MM-DD (the day to act as; default today), --only late-filers|escalate|expire|keys.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.credit.services import entries_expire, late_filers_run, late_filers_start, lists_escalate
from shuangchuang.credit.services.annual import filing_deadline, overdue_year
from shuangchuang.credit.services.jobs import enterprise_keys_refresh


class Command(BaseCommand):
    help = "List late annual-report filers, escalate unremedied entries, close ended entries (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Act as on this day (YYYY-MM-DD); default today.")
        parser.add_argument("--only", choices=["late-filers", "escalate", "expire", "keys"])

    def handle(self, *args, on=None, only=None, **options):
        actor = Actor.system("credit-daily")
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError("--on takes a date written YYYY-MM-DD") from exc
        from django.utils import timezone

        day = day or timezone.localdate()
        if only in (None, "late-filers"):
            year = overdue_year(day)
            if day > filing_deadline(year):
                try:
                    job = late_filers_start(actor=actor, on=day, year=year, enqueue=False)
                    job = late_filers_run(job.pk)
                    self.stdout.write(f"late filers {year}: {job.status}, listed {job.summary.get('listed', 0)}, "
                                      f"notified {job.summary.get('notified_enterprises', 0)} enterprises")
                except ServiceError as exc:
                    self.stderr.write(f"late filers: {exc.message}")
        if only in (None, "escalate"):
            self.stdout.write(f"escalated: {lists_escalate(actor=actor, on=day)}")
        if only in (None, "expire"):
            self.stdout.write(f"expired: {entries_expire(actor=actor, on=day)}")
        if only in (None, "keys"):
            self.stdout.write(f"enterprise look-up keys refreshed: {enterprise_keys_refresh()}")
