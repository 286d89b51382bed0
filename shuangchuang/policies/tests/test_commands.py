"""Management commands: importing a text file and sending the due digests and reminders."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shuangchuang.core.models import Notification
from shuangchuang.policies.models import PolicyDocument, SavedSearch
from shuangchuang.policies.services import saved_search_create
from shuangchuang.policies.tests.factories import actor_for


@pytest.mark.django_db
def test_a_text_file_is_imported_as_a_draft(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("信息名称: 试点通知\n（一）试点。\n开展试点。（责任单位：市科技创新委）\n", encoding="utf-8")
    out = io.StringIO()
    call_command("policies_import", str(path), "--department", "SZ-STIC", "--topic", "vouchers", stdout=out)
    doc = PolicyDocument.objects.get(title="试点通知")
    assert doc.status == "draft" and "with 1 measures" in out.getvalue()


@pytest.mark.django_db
def test_an_unknown_department_stops_the_import(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("（一）试点。\n开展试点。", encoding="utf-8")
    with pytest.raises(CommandError, match="No department with the code SZ-NOPE"):
        call_command("policies_import", str(path), "--department", "SZ-NOPE")


@pytest.mark.django_db
def test_due_digests_are_sent_and_others_wait(seeded, rep_a):
    due = saved_search_create(actor=actor_for(rep_a), name="税收", filters={"topic": "tax"}, frequency="weekly")
    waiting = saved_search_create(actor=actor_for(rep_a), name="人才", filters={"topic": "talent"}, frequency="weekly")
    SavedSearch.objects.filter(pk=due.pk).update(last_sent_at=timezone.now() - datetime.timedelta(days=8))
    SavedSearch.objects.filter(pk=waiting.pk).update(last_sent_at=timezone.now() - datetime.timedelta(days=2))
    out = io.StringIO()
    call_command("policies_digests", stdout=out)
    assert "Digests: 1 sent" in out.getvalue()
    assert list(Notification.objects.values_list("subject", flat=True)) == ["New policies for your alert “税收”"]
