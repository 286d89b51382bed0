"""API tokens: the raw key is shown once and only its digest is stored; Bearer authentication of /api/v1/me."""

import hashlib

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.models import ApiToken, AuditEvent
from shuangchuang.core.services import api_token_authenticate, api_token_create, api_token_revoke, notification_send
from shuangchuang.core.tests.factories import SYSTEM, actor_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def token_a(rep_a, enterprise_a):
    return api_token_create(actor=actor_for(rep_a, enterprise_a), name="ERP sync")


class TestCreate:
    def test_raw_key_returned_once_and_only_digest_stored(self, token_a, rep_a, enterprise_a):
        token, raw_key = token_a
        assert raw_key.startswith("sc_") and len(raw_key) > 40
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.key_digest == hashlib.sha256(raw_key.encode()).hexdigest()
        assert stored.prefix == raw_key[3:11]
        assert (stored.user, stored.organisation, stored.name) == (rep_a, enterprise_a, "ERP sync")
        row = ApiToken.objects.filter(pk=token.pk).values().get()
        assert raw_key not in [str(v) for v in row.values()]
        assert raw_key not in str(AuditEvent.objects.order_by("-seq").first().params)

    def test_keys_differ(self, rep_a):
        actor = Actor(user=rep_a)
        keys = {api_token_create(actor=actor, name=f"t{i}")[1] for i in range(3)}
        assert len(keys) == 3

    def test_name_required(self, rep_a):
        with pytest.raises(ServiceError) as caught:
            api_token_create(actor=Actor(user=rep_a), name="   ")
        assert (caught.value.code, caught.value.field) == ("name_required", "name")
        assert not ApiToken.objects.exists()

    def test_anonymous_refused(self):
        with pytest.raises(NotAllowed):
            api_token_create(actor=Actor.anonymous(), name="x")
        assert not ApiToken.objects.exists()

    def test_revoke_someone_elses_token_refused(self, token_a, rep_b):
        token, raw_key = token_a
        with pytest.raises(NotAllowed) as caught:
            api_token_revoke(actor=Actor(user=rep_b), token=token)
        assert caught.value.message == "This token belongs to someone else."
        token.refresh_from_db()
        assert token.revoked_at is None
        assert api_token_authenticate(raw_key) == token

    def test_authenticate(self, token_a):
        token, raw_key = token_a
        assert api_token_authenticate(raw_key) == token
        assert api_token_authenticate("") is None
        assert api_token_authenticate(raw_key[3:]) is None  # without the sc_ prefix
        assert api_token_authenticate(raw_key + "x") is None
        token.refresh_from_db()
        assert token.last_used_at is not None


class TestTokensPage:
    def test_create_shows_the_key_once(self, login, rep_a):
        client = login(rep_a)
        response = client.post("/accounts/tokens/", {"name": "ERP sync"})
        assert response.status_code == 200
        raw_key = response.context["raw_key"]
        assert raw_key and raw_key in response.content.decode()
        token = ApiToken.objects.get(user=rep_a)
        assert token.key_digest == hashlib.sha256(raw_key.encode()).hexdigest()
        again = client.get("/accounts/tokens/")
        assert again.context["raw_key"] is None
        assert raw_key not in again.content.decode()
        assert f"sc_{token.prefix}" in again.content.decode()

    def test_lists_only_own_tokens(self, login, token_a, rep_b):
        response = login(rep_b).get("/accounts/tokens/")
        assert list(response.context["tokens"]) == []
        assert f"sc_{token_a[0].prefix}" not in response.content.decode()

    def test_revoke_through_the_page(self, login, token_a, rep_a):
        token, raw_key = token_a
        response = login(rep_a).post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
        assert [str(m) for m in response.context["messages"]] == ["The token was revoked."]
        assert api_token_authenticate(raw_key) is None

    def test_revoke_someone_elses_through_the_page_refused(self, login, token_a, rep_b):
        token, raw_key = token_a
        response = login(rep_b).post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
        assert [str(m) for m in response.context["messages"]] == ["This token belongs to someone else."]
        assert api_token_authenticate(raw_key) == token


class TestApiMe:
    def test_me_with_bearer_token(self, client, token_a, rep_a, enterprise_a):
        _token, raw_key = token_a
        response = client.get("/api/v1/me", **bearer(raw_key))
        assert response.status_code == 200
        assert response.json() == {
            "username": "rep-a",
            "name": "甲法人",
            "acting_for": enterprise_a.code,
            "memberships": [{"organisation_code": enterprise_a.code, "organisation_name": enterprise_a.name,
                             "kind": "enterprise", "role": "legal_rep"}],
        }

    def test_my_notifications(self, client, token_a, rep_a, staff_a):
        notification_send(actor=SYSTEM, recipients=[rep_a], subject="For rep", email=False)
        notification_send(actor=SYSTEM, recipients=[staff_a], subject="For staff", email=False)
        response = client.get("/api/v1/me/notifications", **bearer(token_a[1]))
        assert response.status_code == 200
        assert [(n["subject"], n["read"]) for n in response.json()] == [("For rep", False)]

    @pytest.mark.parametrize("case", ["revoked", "wrong", "missing", "not_bearer", "inactive_user"])
    def test_bad_credentials_are_401(self, case, client, token_a, rep_a):
        token, raw_key = token_a
        headers = bearer(raw_key)
        if case == "revoked":
            api_token_revoke(actor=Actor(user=rep_a), token=token)
        elif case == "wrong":
            headers = bearer("sc_" + "A" * 43)
        elif case == "missing":
            headers = {}
        elif case == "not_bearer":
            headers = {"HTTP_AUTHORIZATION": f"Token {raw_key}"}
        elif case == "inactive_user":
            rep_a.is_active = False
            rep_a.save(update_fields=["is_active"])
        response = client.get("/api/v1/me", **headers)
        assert response.status_code == 401
        body = response.json()
        assert body["error"]["code"] == "not_authenticated"
        assert body["error"]["message"] == "Send a valid API token: Authorization: Bearer <token>."

    def test_session_login_is_not_enough_for_the_api(self, login, rep_a):
        assert login(rep_a).get("/api/v1/me").status_code == 401
