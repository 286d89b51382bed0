"""POST /api/v1/registration/name-check and the reservation endpoints."""

from __future__ import annotations

import pytest

from shuangchuang.core.services import api_token_create
from shuangchuang.core.tests.factories import actor_for
from shuangchuang.names.models import NameReservation

URL = "/api/v1/registration/name-check"
RES = "/api/v1/registration/name-reservations"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, payload, **extra):
    return client.post(URL, payload, content_type="application/json", **extra)


@pytest.mark.django_db
class TestNameCheckEndpoint:
    def test_the_answer_has_the_verdict_the_parts_and_the_issues(self, client, registered):
        response = post(client, {"name": "深圳市牛兰山酒业有限公司", "legal_form": "llc", "industry_code": "15"})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"verdict", "parsed", "issues"}
        assert body["verdict"] == "similar"
        assert body["parsed"] == {"region": "深圳市", "trade_name": "牛兰山", "industry": "酒业", "form": "有限公司"}
        assert body["issues"] == [{
            "code": "similar_homophone", "conflict": "深圳市牛栏山酒业有限公司",
            "message": body["issues"][0]["message"], "rule": body["issues"][0]["rule"]}]
        assert "133号" in body["issues"][0]["rule"]

    @pytest.mark.parametrize(("name", "verdict"), [
        ("深圳市海角新芯科技有限公司", "ok"), ("深圳市鹏城创芯科技有限公司", "identical"), ("鹏城新芯", "invalid")])
    def test_each_verdict(self, client, registered, name, verdict):
        body = post(client, {"name": name, "legal_form": "llc"}).json()
        assert body["verdict"] == verdict
        if verdict == "ok":
            assert body["issues"] == []
        else:
            assert all(set(i) == {"code", "message", "conflict", "rule"} for i in body["issues"])

    def test_an_identical_issue_names_the_conflict(self, client, registered):
        body = post(client, {"name": "深圳市鹏城创芯科技有限公司", "legal_form": "llc"}).json()
        assert body["issues"][0]["conflict"] == "深圳市鹏城创芯科技有限公司"

    @pytest.mark.parametrize(("payload", "status", "code"), [
        ({"legal_form": "llc"}, 422, "invalid_input"),
        ({"name": "深圳市海角新芯科技有限公司"}, 422, "invalid_input"),
        ({"name": "深圳市海角新芯科技有限公司", "legal_form": "gmbh"}, 400, "unknown_legal_form"),
        ({"name": "深圳市海角新芯科技有限公司", "legal_form": "llc", "industry_code": "XX"}, 400, "unknown_industry"),
        ({"name": "深圳市海角新芯科技有限公司", "legal_form": "llc", "investors": ["91440300MA5T99999X"]}, 400,
         "unknown_investor"),
        ({"name": "深" * 101, "legal_form": "llc"}, 400, "name_too_long"),
        ({"name": "深圳市海角新芯科技有限公司", "legal_form": "llc", "registration_authority": "NOPE"}, 404,
         "not_found"),
    ])
    def test_bad_input_answers_an_error_object(self, client, db, payload, status, code):
        response = post(client, payload)
        assert response.status_code == status
        assert response.json()["error"]["code"] == code

    def test_it_is_rate_limited_per_client(self, client, settings, db):
        settings.NAMES_CHECK_RATE_PER_MINUTE = 2
        payload = {"name": "深圳市海角新芯科技有限公司", "legal_form": "llc"}
        codes = [post(client, payload, REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert post(client, payload, REMOTE_ADDR="203.0.113.9").json()["error"]["code"] == "rate_limited"
        assert post(client, payload, REMOTE_ADDR="203.0.113.10").status_code == 200

    def test_a_token_that_is_not_valid_is_refused(self, client, db):
        response = post(client, {"name": "深圳市海角新芯科技有限公司", "legal_form": "llc"}, **bearer("sc_nope"))
        assert response.status_code == 401


@pytest.mark.django_db
class TestReservationEndpoints:
    def test_a_person_reserves_lists_and_releases_with_a_token(self, client, db, founder):
        key = api_token_create(actor=actor_for(founder, None), name="cli")[1]
        payload = {"name": "深圳市海角新芯科技有限公司", "legal_form": "llc"}
        created = client.post(RES, payload, content_type="application/json", **bearer(key))
        assert created.status_code == 201
        body = created.json()
        assert body["status"] == "reserved" and body["registration_authority"] == "SZ-MQSA"
        assert [r["id"] for r in client.get(RES, **bearer(key)).json()] == [body["id"]]
        assert post(client, payload).json()["verdict"] == "identical"
        released = client.post(f"{RES}/{body['id']}/release", **bearer(key))
        assert released.json()["status"] == "released"

    def test_reserving_needs_a_token(self, client, db):
        response = client.post(RES, {"name": "深圳市海角新芯科技有限公司", "legal_form": "llc"},
                               content_type="application/json")
        assert response.status_code == 401
        assert not NameReservation.objects.exists()

    def test_an_identical_name_is_a_conflict(self, client, registered, founder):
        key = api_token_create(actor=actor_for(founder, None), name="cli")[1]
        response = client.post(RES, {"name": "深圳市鹏城创芯科技有限公司", "legal_form": "llc"},
                               content_type="application/json", **bearer(key))
        assert response.status_code == 409 and response.json()["error"]["code"] == "name_identical"

    def test_someone_elses_reservation_cannot_be_released(self, client, db, founder, rep_a, enterprise_a):
        mine = api_token_create(actor=actor_for(founder, None), name="cli")[1]
        theirs = api_token_create(actor=actor_for(rep_a, enterprise_a), name="cli")[1]
        created = client.post(RES, {"name": "深圳市海角新芯科技有限公司", "legal_form": "llc"},
                              content_type="application/json", **bearer(mine)).json()
        response = client.post(f"{RES}/{created['id']}/release", **bearer(theirs))
        assert response.status_code == 403
        assert NameReservation.objects.get().status == "reserved"


@pytest.mark.django_db
def test_the_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/registration/name-check" in paths
    assert "/api/v1/registration/name-reservations" in paths
