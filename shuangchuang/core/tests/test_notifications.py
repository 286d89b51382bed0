"""The inbox: sending (e-mail after commit only), reading, the inbox page and the htmx mark-read endpoint."""

import pytest
from django.core import mail
from django.db import transaction

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed
from shuangchuang.core.models import AuditEvent, Notification
from shuangchuang.core.services import notification_mark_read, notification_send
from shuangchuang.core.tests.factories import SYSTEM, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def no_email(db):
    return make_user("no-email", email="")


def send(recipients, **kwargs):
    defaults = {"subject": "Your application was received", "body": "We will review it.", "url": "/workspace/"}
    return notification_send(actor=SYSTEM, recipients=recipients, **{**defaults, **kwargs})


class TestSend:
    def test_inbox_rows_and_mail_only_after_commit(self, django_capture_on_commit_callbacks, rep_a, staff_a):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notifications = send([rep_a, staff_a])
            # Inside the transaction: rows are there, nothing has been mailed.
            assert Notification.objects.filter(recipient__in=[rep_a, staff_a]).count() == 2
            assert mail.outbox == []
        assert len(callbacks) == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["rep-a@example.cn", "staff-a@example.cn"]
        message = next(m for m in mail.outbox if m.to == ["rep-a@example.cn"])
        assert message.subject == "Your application was received"
        assert message.body == "We will review it.\n\n/workspace/"
        for n in Notification.objects.filter(pk__in=[n.pk for n in notifications]):
            assert n.email_requested and n.emailed_at is not None and n.read_at is None

    def test_one_audit_event_for_the_batch(self, django_capture_on_commit_callbacks, rep_a, staff_a):
        before = AuditEvent.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            send([rep_a, staff_a])
        event = AuditEvent.objects.get(seq__gt=before)
        assert event.verb == "core.notification_sent"
        assert event.params == {"recipients": [rep_a.pk, staff_a.pk], "email": True}

    def test_recipient_without_email_gets_the_inbox_row_only(self, django_capture_on_commit_callbacks, rep_a,
                                                             no_email):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            send([rep_a, no_email])
        assert len(callbacks) == 1
        assert [m.to for m in mail.outbox] == [["rep-a@example.cn"]]
        row = Notification.objects.get(recipient=no_email)
        assert (row.email_requested, row.emailed_at) == (False, None)

    def test_email_false_sends_no_mail(self, django_capture_on_commit_callbacks, rep_a):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            send([rep_a], email=False)
        assert callbacks == []
        assert mail.outbox == []
        assert Notification.objects.filter(recipient=rep_a).count() == 1

    def test_rolled_back_transaction_sends_nothing(self, django_capture_on_commit_callbacks, rep_a):
        events_before = AuditEvent.objects.count()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                send([rep_a])
                raise RuntimeError("the surrounding use case failed")
        assert callbacks == []
        assert mail.outbox == []
        assert not Notification.objects.exists()
        assert AuditEvent.objects.count() == events_before

    def test_long_subject_is_cut_to_200(self, rep_a):
        [n] = send([rep_a], subject="长" * 250, email=False)
        n.refresh_from_db()
        assert n.subject == "长" * 200


class TestMarkRead:
    def test_recipient_marks_read(self, rep_a):
        [n] = send([rep_a], email=False)
        notification_mark_read(actor=Actor(user=rep_a), notification=n)
        n.refresh_from_db()
        assert n.read_at is not None

    @pytest.mark.parametrize("who", ["other", "anonymous"])
    def test_someone_else_is_refused_and_nothing_changes(self, who, rep_a, staff_a):
        [n] = send([rep_a], email=False)
        events_before = AuditEvent.objects.count()
        actor = Actor(user=staff_a) if who == "other" else Actor.anonymous()
        with pytest.raises(NotAllowed) as caught:
            notification_mark_read(actor=actor, notification=n)
        expected = "This message was sent to someone else." if who == "other" else "Log in first."
        assert caught.value.message == expected
        n.refresh_from_db()
        assert n.read_at is None
        assert AuditEvent.objects.count() == events_before


class TestPages:
    def test_inbox_lists_own_messages_only(self, login, rep_a, staff_a):
        send([rep_a], subject="For rep", email=False)
        send([rep_a], subject="Second for rep", email=False)
        send([staff_a], subject="For staff", email=False)
        response = login(rep_a).get("/accounts/inbox/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "For rep" in html and "Second for rep" in html
        assert "For staff" not in html
        assert [n.subject for n in response.context["page"].object_list] == ["Second for rep", "For rep"]
        assert html.count("Mark as read") == 2

    def test_inbox_needs_login(self, client):
        response = client.get("/accounts/inbox/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_htmx_mark_read_returns_the_fragment(self, login, rep_a):
        [n] = send([rep_a], subject="Fragment please", email=False)
        response = login(rep_a).post(f"/accounts/inbox/{n.pk}/read/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode().strip()
        assert html.startswith(f'<li id="n{n.pk}" class="read">')
        assert "Fragment please" in html
        assert "Mark as read" not in html
        assert "<html" not in html
        n.refresh_from_db()
        assert n.read_at is not None

    def test_plain_mark_read_redirects_to_the_inbox(self, login, rep_a):
        [n] = send([rep_a], email=False)
        response = login(rep_a).post(f"/accounts/inbox/{n.pk}/read/")
        assert (response.status_code, response.url) == (302, "/accounts/inbox/")
        n.refresh_from_db()
        assert n.read_at is not None

    def test_mark_read_of_someone_elses_message_refused(self, login, rep_a, staff_a):
        [n] = send([rep_a], email=False)
        response = login(staff_a).post(f"/accounts/inbox/{n.pk}/read/", HTTP_HX_REQUEST="true")
        assert response.status_code == 403
        assert "This message was sent to someone else." in response.content.decode()
        n.refresh_from_db()
        assert n.read_at is None

    def test_mark_read_is_post_only(self, login, rep_a):
        [n] = send([rep_a], email=False)
        assert login(rep_a).get(f"/accounts/inbox/{n.pk}/read/").status_code == 405

    def test_unread_badge_in_the_shell(self, login, rep_a):
        send([rep_a], email=False)
        send([rep_a], email=False)
        html = login(rep_a).get("/accounts/inbox/").content.decode()
        assert '<span class="badge" aria-label="2 unread messages">2</span>' in html
