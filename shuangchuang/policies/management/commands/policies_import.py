"""Import a policy document from a plain-text file as a draft of a department."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.core.models import Organisation
from shuangchuang.policies.services import policy_import_text


class Command(BaseCommand):
    help = "Import a policy from plain text (header lines, （一）… measures, （责任单位：…）) as a draft."

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file")
        parser.add_argument("--department", required=True, help="Department code, e.g. SZ-STIC")
        parser.add_argument("--topic", action="append", default=[], help="Topic code (repeatable)")

    def handle(self, *args, path, department, topic, **options):
        org = Organisation.objects.filter(code=department, kind="department").first()
        if org is None:
            raise CommandError(f"No department with the code {department}.")
        try:
            doc = policy_import_text(actor=Actor.system("policies-import"), department=org,
                                     text=Path(path).read_text(encoding="utf-8"), topics=topic)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Imported draft #{doc.pk}: {doc} with {doc.parts.filter(kind='measure').count()} measures.")
