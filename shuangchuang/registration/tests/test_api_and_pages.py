"""The API (token) and the pages: establishment end to end, the licence page, PDF and verification, the error
shape for bad input, and refusals without a token."""

import pytest
from django.conf import settings

from shuangchuang.core.services import api_token_create
from shuangchuang.core.tests.factories import actor_for
from shuangchuang.registration.models import Application, Licence
from shuangchuang.registration.tests.conftest import FOUNDER_ID, PARTNER_ID

pytestmark = pytest.mark.django_db


def token_for(user, organisation=None):
    return api_token_create(actor=actor_for(user, organisation), name="t")[1]


def body():
    return {
        "name": "深圳市星河智造科技有限公司", "legal_form": "llc", "district": "440305",
        "address": "深圳市南山区粤海街道科技南路18号", "registered_capital_fen": 100_000_000, "industry": "65",
        "scope_terms": ["S0001"], "legal_rep_name": "张创业", "legal_rep_id_number": FOUNDER_ID,
        "shareholders": [{"name": "张创业", "id_number": FOUNDER_ID, "subscribed_capital_fen": 70_000_000},
                         {"name": "李合伙", "id_number": PARTNER_ID, "subscribed_capital_fen": 30_000_000}],
        "officers": [{"position": "executive_director", "name": "张创业", "id_number": FOUNDER_ID}],
    }


def test_establishment_through_the_api_from_application_to_licence(client, founder, officer, mqsa):
    applicant = {"HTTP_AUTHORIZATION": f"Bearer {token_for(founder)}"}
    reviewer = {"HTTP_AUTHORIZATION": f"Bearer {token_for(officer, mqsa)}"}
    created = client.post("/api/v1/registration/applications", body(), content_type="application/json", **applicant)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert [c["code"] for c in created.json()["completeness"]] == ["articles_required"]
    assert created.json()["legal_rep_id_number"].startswith("4403") and "*" in created.json()["legal_rep_id_number"]
    refused = client.post(f"/api/v1/registration/applications/{pk}/transitions", {"transition": "submit"},
                          content_type="application/json", **applicant)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "incomplete"
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shuangchuang.registration.tests.conftest import PDF

    uploaded = client.post(f"/api/v1/registration/applications/{pk}/articles",
                           {"articles": SimpleUploadedFile("a.pdf", PDF)}, **applicant)
    assert uploaded.status_code == 200 and uploaded.json()["completeness"] == []
    submitted = client.post(f"/api/v1/registration/applications/{pk}/transitions", {"transition": "submit"},
                            content_type="application/json", **applicant)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    queue = client.get("/api/v1/registration/applications?queue=true", **reviewer)
    assert [a["id"] for a in queue.json()] == [pk]
    approved = client.post(f"/api/v1/registration/applications/{pk}/transitions", {"transition": "approve"},
                           content_type="application/json", **reviewer)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    licence = Licence.objects.get(uscc=approved.json()["uscc"])
    verified = client.get(f"/api/v1/registration/licences/{licence.token}")
    assert verified.json()["current"] is True and verified.json()["name"] == "深圳市星河智造科技有限公司"


def test_bad_input_answers_a_4xx_error_and_writes_nothing(client, founder):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(founder)}"}
    wrong = dict(body(), registered_capital_fen="a lot")
    response = client.post("/api/v1/registration/applications", wrong, content_type="application/json", **headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"
    negative = dict(body(), registered_capital_fen=-1)
    response = client.post("/api/v1/registration/applications", negative, content_type="application/json",
                           **headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_amount"
    assert not Application.objects.exists()


def test_without_a_token_nobody_lists_applications(client, application):
    for query in ("", "?queue=true"):
        response = client.get(f"/api/v1/registration/applications{query}")
        assert response.status_code == 403 and response.json()["error"]["code"] == "not_allowed", query


def test_without_a_token_nobody_applies_or_reviews(client, application):
    response = client.post("/api/v1/registration/applications", body(), content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_allowed"
    response = client.get(f"/api/v1/registration/applications/{application.pk}")
    assert response.status_code == 403
    response = client.post(f"/api/v1/registration/applications/{application.pk}/transitions",
                           {"transition": "approve"}, content_type="application/json")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "draft"


def test_the_establishment_pages_go_from_form_to_licence(client, login, founder, officer, mqsa):
    login(founder)
    form = client.get("/registration/applications/new/")
    assert form.status_code == 200 and "Business scope" in form.content.decode()
    from shuangchuang.registration.tests.conftest import pdf

    data = {
        "name": "深圳市星河智造科技有限公司", "legal_form": "llc", "district": "440305",
        "address": "深圳市南山区粤海街道科技南路18号", "registered_capital": "1000000.00", "industry": "65",
        "scope_terms": ["S0001", "S0002"], "legal_rep_name": "张创业", "legal_rep_id_number": FOUNDER_ID,
        "articles": pdf(),
        "holders-TOTAL_FORMS": "3", "holders-INITIAL_FORMS": "0",
        "holders-0-kind": "person", "holders-0-name": "张创业", "holders-0-identifier": FOUNDER_ID,
        "holders-0-subscribed": "1000000",
        "holders-1-kind": "person", "holders-2-kind": "person",
        "officers-TOTAL_FORMS": "3", "officers-INITIAL_FORMS": "0",
        "officers-0-position": "executive_director", "officers-0-name": "张创业", "officers-0-id_number": FOUNDER_ID,
        "officers-1-position": "supervisor", "officers-2-position": "manager",
    }
    saved = client.post("/registration/applications/new/", data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    application = Application.objects.get()
    assert application.registered_capital_fen == 100_000_000
    page = client.get(saved.url).content.decode()
    assert "The application is complete." in page
    client.post(f"/registration/applications/{application.pk}/step/", {"transition": "submit"})
    login(officer, mqsa)
    assert application.name in client.get("/registration/queue/").content.decode()
    client.post(f"/registration/applications/{application.pk}/step/", {"transition": "approve"})
    application.refresh_from_db()
    assert application.state == "approved"
    licence = Licence.objects.get(uscc=application.uscc)
    client.logout()  # logging out also drops the language cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/registration/licences/{licence.token}/").content.decode()
    assert "Verified" in page and application.uscc in page and "人民币1,000,000.00元" in page
    pytest.importorskip("reportlab")
    assert "<svg" in page
    document = client.get(f"/registration/licences/{licence.token}/pdf/")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")


def test_a_licence_that_does_not_exist_is_not_found(client, db):
    assert client.get("/registration/licences/nothing-here/").status_code == 404
    assert client.get("/api/v1/registration/licences/nothing-here").status_code == 404


def test_without_reportlab_the_licence_page_still_shows_every_field(client, firm_a, monkeypatch):
    import datetime

    from shuangchuang.core.tests.factories import SYSTEM
    from shuangchuang.registration import licence_render
    from shuangchuang.registration.services import licence_issue

    def missing():
        raise licence_render.RenderingUnavailable("reportlab is not installed")

    monkeypatch.setattr(licence_render, "_reportlab", missing)
    licence = licence_issue(actor=SYSTEM, enterprise=firm_a["enterprise"], application=None, scope="软件开发",
                            on=datetime.date(2020, 1, 1))
    page = client.get(f"/registration/licences/{licence.token}/").content.decode()
    for label in ("统一社会信用代码", "名称", "类型", "法定代表人", "注册资本", "成立日期", "住所", "经营范围", "登记机关"):
        assert label in page
    assert f"/registration/licences/{licence.token}/" in page and "<svg" not in page
    assert client.get(f"/registration/licences/{licence.token}/pdf/").status_code == 503


@pytest.mark.parametrize("who", ["another enterprise", "an officer of another department"])
def test_outsiders_with_a_token_neither_see_nor_move_an_application(who, client, application, founder_actor,
                                                                   firm_b, officer_stic, stic):
    from shuangchuang.core.models import AuditEvent
    from shuangchuang.registration.services import application_transition

    application_transition(actor=founder_actor, application=application, transition="submit")
    user, organisation = (firm_b["user"], firm_b["org"]) if who == "another enterprise" else (officer_stic, stic)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user, organisation)}"}
    events = AuditEvent.objects.count()
    assert client.get(f"/api/v1/registration/applications/{application.pk}", **headers).status_code == 403
    for step in ("approve", "reject", "withdraw"):
        response = client.post(f"/api/v1/registration/applications/{application.pk}/transitions",
                               {"transition": step, "note": "x"}, content_type="application/json", **headers)
        assert response.status_code == 403 and response.json()["error"]["code"] == "not_allowed"
    assert client.get("/api/v1/registration/applications?queue=true", **headers).json() == []
    application.refresh_from_db()
    assert application.state == "submitted" and AuditEvent.objects.count() == events
