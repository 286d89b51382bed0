"""The pages of change, deregistration, custodians and the review queue: who sees what, and the forms work."""

import datetime

import pytest

from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.registration.models import Application, Custodian, Deregistration
from shuangchuang.registration.services import licence_issue
from shuangchuang.registration.tests.conftest import pdf

pytestmark = pytest.mark.django_db


def test_the_queue_is_for_the_registration_authority_only(client, login, officer, mqsa, officer_stic, stic):
    assert client.get("/registration/queue/").status_code == 403
    login(officer_stic, stic)
    response = client.get("/registration/queue/")
    assert response.status_code == 403 and "officers of the registration authority" in response.content.decode()
    login(officer, mqsa)
    assert client.get("/registration/queue/").status_code == 200


def test_an_enterprise_publishes_its_deregistration_notice_from_the_page(client, login, firm_a):
    login(firm_a["user"], firm_a["org"])
    page = client.get("/registration/deregistration/").content.decode()
    assert "Rule version C" in page and "The notice runs 20 days from today" in page
    response = client.post("/registration/deregistration/", {"ground": "no_debts", "promise": pdf("promise.pdf")})
    file = Deregistration.objects.get()
    assert response.status_code == 302 and response.url == f"/registration/deregistrations/{file.pk}/"
    detail = client.get(response.url).content.decode()
    assert "Public notice" in detail and file.notice_end.isoformat() in detail
    assert client.get("/registration/deregistration/").url == response.url  # one notice at a time


def test_the_file_of_a_deregistration_is_not_shown_to_other_firms(client, login, firm_a, firm_b):
    login(firm_a["user"], firm_a["org"])
    client.post("/registration/deregistration/", {"ground": "no_debts", "promise": pdf()})
    file = Deregistration.objects.get()
    login(firm_b["user"], firm_b["org"])
    file_response = client.get(f"/registration/deregistrations/{file.pk}/")
    assert file_response.status_code == 403
    response = client.post(f"/registration/deregistrations/{file.pk}/step/", {"transition": "withdraw"})
    assert response.status_code == 403
    file.refresh_from_db()
    assert file.state == "notice"


def test_the_change_page_is_for_the_enterprises_signers(client, login, firm_a, founder):
    login(founder)
    assert client.get("/registration/change/").status_code == 403
    login(firm_a["user"], firm_a["org"])
    page = client.get("/registration/change/")
    assert page.status_code == 200 and "What changes" in page.content.decode()
    data = {"items": ["address"], "address": "深圳市福田区深南大道1号", "district": "440304",
            "holders-TOTAL_FORMS": "0", "holders-INITIAL_FORMS": "0",
            "officers-TOTAL_FORMS": "0", "officers-INITIAL_FORMS": "0"}
    response = client.post("/registration/change/", data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.kind == "change" and application.changes == [
        {"item": "address", "old": "深圳市南山区科技园1号"}]


def test_a_firm_applies_to_be_a_custodian_and_the_authority_decides_on_the_page(client, login, firm_a, officer,
                                                                                mqsa):
    licence_issue(actor=SYSTEM, enterprise=firm_a["enterprise"], application=None, scope="商务秘书服务",
                  on=datetime.date(2020, 1, 1))
    login(firm_a["user"], firm_a["org"])
    response = client.post("/registration/custodians/new/", {
        "address": "深圳市福田区福华路88号", "annotation": "（托管企业）", "service_place": "on",
        "staff_and_procedures": "on", "title_document": pdf("lease.pdf")})
    custodian = Custodian.objects.get()
    assert response.status_code == 302
    assert client.get("/registration/custodians/").content.decode().count("福华路88号") == 0  # not approved yet
    login(officer, mqsa)
    client.post(f"/registration/custodians/{custodian.pk}/", {"decision": "approve", "note": ""})
    custodian.refresh_from_db()
    assert custodian.state == "approved"
    client.logout()
    assert "深圳市福田区福华路88号（托管企业）" in client.get("/registration/custodians/").content.decode()


def test_my_licence_leads_to_the_current_licence(client, login, firm_a):
    login(firm_a["user"], firm_a["org"])
    assert client.get("/registration/licence/").status_code == 403
    licence = licence_issue(actor=SYSTEM, enterprise=firm_a["enterprise"], application=None, scope="软件开发",
                            on=datetime.date(2020, 1, 1))
    response = client.get("/registration/licence/")
    assert response.url == f"/registration/licences/{licence.token}/"


def test_the_index_offers_what_the_visitor_can_do(client, login, firm_a):
    page = client.get("/registration/").content.decode()
    assert "Simplified deregistration notices in progress" in page and "/registration/change/" not in page
    login(firm_a["user"], firm_a["org"])
    page = client.get("/registration/").content.decode()
    assert "/registration/change/" in page and "/registration/deregistration/" in page


def test_an_officer_records_and_lifts_a_bar_on_the_page(client, login, firm_a, officer, mqsa, firm_b):
    from shuangchuang.registration.models import RegistrationBar

    url = f"/registration/enterprises/{firm_a['enterprise'].uscc}/bars/"
    login(firm_b["user"], firm_b["org"])
    assert client.get(url).status_code == 403
    login(officer, mqsa)
    response = client.post(url, {"kind": "equity_frozen", "since": "2026-01-05", "note": "（2026）粤0305执1号"})
    assert response.status_code == 302
    bar = RegistrationBar.objects.get()
    assert "Equity frozen" in client.get(url).content.decode()
    client.post(f"{url}{bar.pk}/lift/")
    bar.refresh_from_db()
    assert bar.lifted_on is not None


def test_a_bar_is_lifted_only_by_the_department_that_recorded_it(firm_a, officer_actor, officer_stic, stic):
    from shuangchuang.core.errors import NotAllowed
    from shuangchuang.core.tests.factories import actor_for
    from shuangchuang.registration.services import bar_lift, bar_record

    bar = bar_record(actor=officer_actor, enterprise=firm_a["enterprise"], kind="unpaid_fine",
                     since=datetime.date(2026, 1, 1))
    with pytest.raises(NotAllowed):
        bar_lift(actor=actor_for(officer_stic, stic), bar=bar, on=datetime.date(2026, 2, 1))
    bar.refresh_from_db()
    assert bar.lifted_on is None


def test_the_queue_marks_overdue_decisions(client, login, officer, mqsa, application, founder_actor):
    from shuangchuang.registration.services import application_transition

    application_transition(actor=founder_actor, application=application, transition="submit",
                           on=datetime.date(2026, 1, 5))
    login(officer, mqsa)
    assert "overdue" in client.get("/registration/queue/").content.decode()


def test_uploaded_documents_are_served_to_the_applicant_and_the_authority_only(client, login, application,
                                                                               founder, officer, mqsa, firm_b):
    url = f"/registration/applications/{application.pk}/articles/"
    assert client.get(url).status_code == 403
    login(firm_b["user"], firm_b["org"])
    assert client.get(url).status_code == 403
    login(founder)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    login(officer, mqsa)
    assert client.get(url).status_code == 200


def test_the_promise_is_public_while_the_notice_runs_and_then_for_the_file_only(client, login, firm_a, officer,
                                                                                mqsa):
    from shuangchuang.registration.services import deregistration_start, deregistration_transition

    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf(), on=datetime.date(2026, 10, 1))
    url = f"/registration/deregistrations/{file.pk}/promise/"
    assert client.get(url).status_code == 200
    deregistration_transition(actor=firm_a["actor"], deregistration=file, transition="apply",
                              on=datetime.date(2026, 10, 25))
    assert client.get(url).status_code == 403
    login(officer, mqsa)
    assert client.get(url).status_code == 200
