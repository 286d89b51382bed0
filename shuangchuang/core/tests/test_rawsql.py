"""Lean SQL for hot paths: insert_objects stores what the ORM would store; for_update follows the database."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shuangchuang.core.models import AuditEvent, Notification
from shuangchuang.core.rawsql import for_update, insert_objects
from shuangchuang.core.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_insert_objects_stores_rows_in_one_statement_and_sets_their_keys():
    user = make_user("raw-sql-user")
    notes = [Notification(recipient=user, subject=f"第{i}条", body="正文") for i in range(3)]
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        insert_objects(notes)
    assert len(queries) == 1
    stored = {n.pk: n for n in Notification.objects.filter(recipient=user)}
    assert sorted(stored) == sorted(n.pk for n in notes)
    for note in notes:
        assert not note._state.adding
        assert stored[note.pk].subject == note.subject
        assert stored[note.pk].created_at == note.created_at >= before  # auto_now_add filled, as save() would
        assert stored[note.pk].email_requested is False  # the field's default


def test_insert_objects_prepares_json_and_dates_like_the_orm():
    when = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    event = AuditEvent(seq=987654, created_at=when, verb="test.raw", params={"金额": 100, "list": [1, "二"]},
                       prev_hash="0" * 64, hash="1" * 64)
    insert_objects([event])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.params == {"金额": 100, "list": [1, "二"]}
    assert stored.created_at == when


def test_insert_objects_refuses_saved_or_mixed_instances():
    user = make_user("raw-sql-saved")
    saved = Notification.objects.create(recipient=user, subject="已保存")
    with pytest.raises(ValueError, match="unsaved instances of one model"):
        insert_objects([saved])
    with pytest.raises(ValueError, match="unsaved instances of one model"):
        insert_objects([Notification(recipient=user, subject="a"), AuditEvent(seq=1)])
    assert Notification.objects.filter(recipient=user).count() == 1


def test_insert_objects_with_nothing_sends_nothing():
    with CaptureQueriesContext(connection) as queries:
        insert_objects([])
    assert len(queries) == 0


def test_for_update_locks_rows_only_where_the_database_can():
    expected = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    assert for_update() == expected
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM core_notification WHERE id = %s{for_update()}", [0])
        assert cursor.fetchall() == []
