"""The daily job of the programmes module: remind applicants of progress reports due within two weeks (once per
report) and reviewers of overdue reviews; lapse lease offers not answered by their deadline (they pass on to the
next ranked application).

    shuangchuang programmes_daily
"""

from django.core.management.base import BaseCommand

from shuangchuang.core.actor import Actor
from shuangchuang.programmes.services import lease_offers_lapse, overdue_reminders_send, reports_remind


class Command(BaseCommand):
    help = "Send the programmes reminders: progress reports due soon and overdue reviews."

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=14, help="Remind of reports due within these days.")

    def handle(self, *args, days_before: int = 14, **options):
        actor = Actor.system("programmes-daily")
        reports = reports_remind(actor=actor, days_before=days_before)
        reviews = overdue_reminders_send(actor=actor)
        lapsed = lease_offers_lapse(actor=actor)
        self.stdout.write(f"progress report reminders: {reports}; overdue review reminders: {reviews}; "
                          f"lease offers lapsed: {lapsed}")
