"""Log-in, lock-out, password reset by e-mail, switching the acting organisation, CSRF — through the real views."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core import mail

from shuangchuang.core.middleware import SESSION_KEY
from shuangchuang.core.models import AuditEvent, Role
from shuangchuang.core.tests.factories import PASSWORD, english_client, grant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LOGIN_URL = "/accounts/login/"
NEW_PASSWORD = "Lychee-orchard-Nanshan-9"


def post_login(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def logged_in_as(client):
    return client.session.get(AUTH_SESSION_KEY)


class TestLogin:
    def test_login_page_renders(self, client):
        response = client.get(LOGIN_URL)
        assert response.status_code == 200
        assert b'name="username"' in response.content
        assert b"csrfmiddlewaretoken" in response.content

    def test_right_password_logs_in_and_redirects_to_the_workspace(self, client, rep_a):
        response = post_login(client, "rep-a", PASSWORD)
        assert response.status_code == 302
        assert response.url == "/workspace/"
        assert logged_in_as(client) == str(rep_a.pk)
        workspace = client.get("/workspace/")
        assert workspace.status_code == 200
        assert workspace.wsgi_request.user == rep_a

    def test_next_is_followed(self, client, rep_a):
        response = client.post(LOGIN_URL, {"username": "rep-a", "password": PASSWORD, "next": "/accounts/inbox/"})
        assert response.url == "/accounts/inbox/"

    def test_wrong_password_shows_the_form_again(self, client, rep_a):
        response = post_login(client, "rep-a", "not-the-password")
        assert response.status_code == 200
        assert response.context["form"].errors
        assert logged_in_as(client) is None

    def test_lock_out_after_the_failure_limit(self, client, rep_a):
        limit = settings.AXES_FAILURE_LIMIT
        assert limit >= 2
        for _ in range(limit - 1):
            assert post_login(client, "rep-a", "not-the-password").status_code == 200
        # The attempt that reaches the limit locks the account.
        assert post_login(client, "rep-a", "not-the-password").status_code == 429
        # Even the right password is refused now, from any client.
        response = post_login(english_client(), "rep-a", PASSWORD)
        assert response.status_code == 429
        assert b"Too many failed log-in attempts" in response.content
        assert logged_in_as(client) is None

    def test_lock_out_is_per_account(self, client, rep_a, rep_b):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_login(client, "rep-a", "not-the-password")
        response = post_login(client, "rep-b", PASSWORD)
        assert response.status_code == 302
        assert logged_in_as(client) == str(rep_b.pk)

    def test_success_before_the_limit_resets_the_count(self, client, rep_a):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            post_login(client, "rep-a", "not-the-password")
        assert post_login(client, "rep-a", PASSWORD).status_code == 302
        client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert post_login(client, "rep-a", "not-the-password").status_code == 200
        assert post_login(client, "rep-a", PASSWORD).status_code == 302


class TestPasswordReset:
    def request_link(self, client, email):
        response = client.post("/accounts/password-reset/", {"email": email})
        assert response.status_code == 302
        assert response.url == "/accounts/password-reset/sent/"

    def test_reset_by_email(self, client, rep_a):
        self.request_link(client, "rep-a@example.cn")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["rep-a@example.cn"]
        link = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", message.body).group(1)

        response = client.get(link)  # Django moves the token into the session and redirects
        assert response.status_code == 302
        form_url = response.url
        assert client.get(form_url).context["validlink"] is True

        before = AuditEvent.objects.count()
        response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert response.url == "/accounts/password-reset/done/"

        events = AuditEvent.objects.filter(seq__gt=before)
        assert [(e.verb, e.object_id, e.actor_id) for e in events] == [("core.password_set", str(rep_a.pk), rep_a.pk)]

        fresh = english_client()
        assert post_login(fresh, "rep-a", PASSWORD).status_code == 200  # the old password no longer works
        assert post_login(fresh, "rep-a", NEW_PASSWORD).status_code == 302
        assert logged_in_as(fresh) == str(rep_a.pk)

        # The link works once.
        assert client.get(link).status_code == 200
        assert client.get(link).context["validlink"] is False

    def test_weak_new_password_refused_and_nothing_changes(self, client, rep_a):
        self.request_link(client, "rep-a@example.cn")
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        form_url = client.get(link).url
        before = AuditEvent.objects.count()
        response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]
        assert AuditEvent.objects.count() == before
        rep_a.refresh_from_db()
        assert rep_a.check_password(PASSWORD)

    def test_unknown_address_sends_nothing_but_answers_the_same(self, client, rep_a):
        self.request_link(client, "nobody@example.cn")
        assert mail.outbox == []


class TestSwitchOrganisation:
    @pytest.fixture
    def two_hats(self, rep_a, enterprise_b):
        """rep-a is the legal representative of A and staff of B."""
        grant(rep_a, enterprise_b, Role.STAFF)
        return rep_a

    def test_switch_changes_the_acting_organisation(self, login, two_hats, enterprise_a, enterprise_b):
        client = login(two_hats)
        client.post("/accounts/switch/", {"organisation": enterprise_a.pk}, follow=True)
        first = client.get("/workspace/").wsgi_request.actor
        assert first.organisation == enterprise_a
        assert first.roles == {Role.LEGAL_REPRESENTATIVE}

        response = client.post("/accounts/switch/", {"organisation": enterprise_b.pk, "next": "/accounts/inbox/"},
                               follow=True)
        assert response.redirect_chain == [("/accounts/inbox/", 302)]
        assert client.session[SESSION_KEY] == enterprise_b.pk
        assert f"You now act for {enterprise_b.name}." in [str(m) for m in response.context["messages"]]
        actor = client.get("/workspace/").wsgi_request.actor
        assert actor.organisation == enterprise_b
        assert actor.roles == {Role.STAFF}
        event = AuditEvent.objects.order_by("-seq").first()
        assert (event.verb, event.organisation_id, event.actor_id) == (
            "core.acting_organisation_switched", enterprise_b.pk, two_hats.pk)

    def test_non_member_organisation_refused_with_reason(self, login, rep_a, enterprise_a, enterprise_b):
        client = login(rep_a)
        client.post("/accounts/switch/", {"organisation": enterprise_a.pk}, follow=True)  # shows its message
        session_before = dict(client.session.items())
        events_before = AuditEvent.objects.count()

        response = client.post("/accounts/switch/", {"organisation": enterprise_b.pk}, follow=True)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == ["You are not a member of this organisation."]
        assert "You are not a member of this organisation." in response.content.decode()
        assert dict(client.session.items()) == session_before
        assert client.get("/workspace/").wsgi_request.actor.organisation == enterprise_a
        assert AuditEvent.objects.count() == events_before

    def test_next_to_another_site_is_ignored(self, login, rep_a, enterprise_a):
        client = login(rep_a)
        response = client.post("/accounts/switch/", {"organisation": enterprise_a.pk, "next": "https://evil.example/"})
        assert response.url == "/workspace/"

    def test_get_not_allowed_and_anonymous_sent_to_login(self, client, login, rep_a, enterprise_a):
        response = client.post("/accounts/switch/", {"organisation": enterprise_a.pk})
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert login(rep_a).get("/accounts/switch/").status_code == 405

    @pytest.mark.parametrize("value", ["999999", "", "abc", "1.5", "²", "99999999999999999999999"])
    def test_unknown_or_malformed_organisation_is_404(self, login, rep_a, value):
        client = login(rep_a)
        assert client.post("/accounts/switch/", {"organisation": value}).status_code == 404
        assert SESSION_KEY not in client.session

    def test_missing_organisation_is_404(self, login, rep_a):
        assert login(rep_a).post("/accounts/switch/", {}).status_code == 404


class TestCsrf:
    def test_login_post_without_token_refused(self, rep_a):
        client = english_client(enforce_csrf_checks=True)
        response = post_login(client, "rep-a", PASSWORD)
        assert response.status_code == 403
        assert logged_in_as(client) is None

    def test_switch_post_without_token_refused(self, rep_a, enterprise_a):
        client = english_client(enforce_csrf_checks=True)
        client.force_login(rep_a, backend="django.contrib.auth.backends.ModelBackend")
        events_before = AuditEvent.objects.count()
        response = client.post("/accounts/switch/", {"organisation": enterprise_a.pk})
        assert response.status_code == 403
        assert SESSION_KEY not in client.session
        assert AuditEvent.objects.count() == events_before

    def test_login_post_with_the_token_works(self, rep_a):
        client = english_client(enforce_csrf_checks=True)
        client.get(LOGIN_URL)
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(LOGIN_URL, {"username": "rep-a", "password": PASSWORD, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
