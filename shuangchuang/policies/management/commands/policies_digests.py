"""Send the saved-search digests that are due (run daily from cron or a scheduler)."""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.policies.models import SavedSearch
from shuangchuang.policies.services import saved_search_digest_send


class Command(BaseCommand):
    help = "Send due policy-alert digests (daily ones every day, weekly ones every 7 days) and deadline reminders."

    def add_arguments(self, parser):
        parser.add_argument("--no-reminders", action="store_true", help="Do not send deadline reminders.")

    def handle(self, *args, no_reminders, **options):
        from shuangchuang.policies.services import deadline_reminders_send

        actor = Actor.system("policies-digests")
        now = timezone.now()
        due = SavedSearch.objects.filter(is_active=True).filter(
            Q(frequency="daily", last_sent_at__lte=now - datetime.timedelta(hours=23))
            | Q(frequency="weekly", last_sent_at__lte=now - datetime.timedelta(days=6, hours=23))
            | Q(last_sent_at__isnull=True)
        ).select_related("user", "organisation")
        sent = listed = 0
        for saved in due.iterator(chunk_size=500):
            count = saved_search_digest_send(actor=actor, saved_search=saved, now=now)
            sent += 1 if count else 0
            listed += count
        self.stdout.write(f"Digests: {sent} sent, {listed} items listed.")
        if not no_reminders:
            self.stdout.write(f"Deadline reminders: {deadline_reminders_send(actor=actor)} messages.")
