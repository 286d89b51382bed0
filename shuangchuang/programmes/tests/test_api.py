"""The JSON API: public programmes and calls; applications and their steps with a token."""

import json

import pytest

from shuangchuang.core.services import api_token_create
from shuangchuang.programmes.models import Application, State
from shuangchuang.programmes.tests.conftest import ANSWERS, make_call, submitted

pytestmark = pytest.mark.django_db


def bearer(actor):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=actor, name='api')[1]}"}


def test_the_programmes_and_open_calls_are_public(client, call, programme):
    make_call(programme, title="草稿", publish=False)
    assert [p["code"] for p in client.get("/api/v1/programmes").json()] == ["maker-space"]
    calls = client.get("/api/v1/programmes/calls?open=1").json()
    assert [c["title"] for c in calls] == [call.title] and calls[0]["is_open"]
    detail = client.get(f"/api/v1/programmes/calls/{call.pk}").json()
    assert detail["form_schema"]["fields"][0]["key"] == "summary"


def test_a_draft_call_is_not_found(client, programme):
    hidden = make_call(programme, publish=False)
    response = client.get(f"/api/v1/programmes/calls/{hidden.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_applicant_drafts_saves_and_submits_through_the_api(client, rep, firm, call):
    headers = bearer(rep)
    response = client.post(f"/api/v1/programmes/calls/{call.pk}/applications", data=json.dumps(
        {"project_title": "API项目", "requested_fen": 100_000_00, "project_key": "api-1", "answers": {}}),
        content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    application_id = response.json()["id"]
    response = client.patch(f"/api/v1/programmes/applications/{application_id}",
                            data=json.dumps({"answers": {**ANSWERS, "spend": "not money"}}),
                            content_type="application/json", **headers)
    assert response.status_code == 400 and response.json()["error"]["field"] == "spend"
    response = client.patch(f"/api/v1/programmes/applications/{application_id}", data=json.dumps(
        {"answers": ANSWERS}), content_type="application/json", **headers)
    assert response.json()["answers"]["spend"] == 120000050
    response = client.post(f"/api/v1/programmes/applications/{application_id}/transitions",
                           data=json.dumps({"transition": "submit"}), content_type="application/json", **headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "files_missing"
    assert client.get("/api/v1/programmes/applications", **headers).json()[0]["state"] == "draft"


def test_out_of_range_list_parameters_answer_422_with_the_fields(client, rep, officer, firm, call):
    submitted(rep, call)
    for who in (rep, officer):
        for query in ("page=-1", "page=0", "page=99999999999", "call=99999999999999999999", "call=0"):
            response = client.get(f"/api/v1/programmes/applications?{query}", **bearer(who))
            assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input", query
    for year in ("-1", "0", "99999"):
        response = client.get(f"/api/v1/programmes/ledger?year={year}", **bearer(rep))
        assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input", year
    assert client.get("/api/v1/programmes/ledger?year=2026", **bearer(rep)).status_code == 200


def test_officers_see_and_decide_their_departments_applications(client, rep, officer, other_officer, firm, call):
    application = submitted(rep, call)
    rows = client.get("/api/v1/programmes/applications", **bearer(officer)).json()
    assert [r["id"] for r in rows] == [application.pk] and "accept" in rows[0]["transitions"]
    assert client.get("/api/v1/programmes/applications", **bearer(other_officer)).json() == []
    response = client.post(f"/api/v1/programmes/applications/{application.pk}/transitions",
                           data=json.dumps({"transition": "accept"}), content_type="application/json",
                           **bearer(other_officer))
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    response = client.post(f"/api/v1/programmes/applications/{application.pk}/transitions",
                           data=json.dumps({"transition": "accept"}), content_type="application/json",
                           **bearer(officer))
    assert response.status_code == 200 and response.json()["state"] == "review"


def test_another_enterprise_cannot_read_an_application(client, rep, other_rep, firm, other_firm, call):
    application = submitted(rep, call)
    response = client.get(f"/api/v1/programmes/applications/{application.pk}", **bearer(other_rep))
    assert response.status_code == 403


def test_applications_need_a_token_and_a_bad_token_is_refused(client):
    assert client.get("/api/v1/programmes/applications").status_code == 401
    assert client.get("/api/v1/programmes/applications", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_the_support_ledger_is_readable_by_the_enterprise_and_by_officers(client, rep, officer, other_rep, firm,
                                                                         other_firm, stic):
    import datetime

    from shuangchuang.programmes.services import support_ledger_record
    from shuangchuang.programmes.tests.conftest import SYSTEM

    support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="voucher", source_label="创新券",
                          source_ref="vouchers.redemption:3", department=stic, amount_fen=5_000_00, kind="paid",
                          occurred_on=datetime.date(2026, 5, 1))
    mine = client.get("/api/v1/programmes/ledger", **bearer(rep)).json()
    assert [(r["amount_fen"], r["source_ref"]) for r in mine] == [(5_000_00, "vouchers.redemption:3")]
    assert client.get("/api/v1/programmes/ledger", **bearer(other_rep)).json() == []
    assert client.get(f"/api/v1/programmes/ledger?uscc={firm.uscc}", **bearer(other_rep)).json() == []  # own only
    assert len(client.get(f"/api/v1/programmes/ledger?uscc={firm.uscc}", **bearer(officer)).json()) == 1
    assert client.get("/api/v1/programmes/ledger").status_code == 401
