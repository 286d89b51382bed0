"""Simplified deregistration: the rule version by the notice's start date (45 days before the 2021 reform, 20
after), bars from credit and the register, objections only during the notice, the application window, the
decision, and the public page of notices with its objection form."""

import datetime

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, ServiceError
from shuangchuang.core.tests.factories import SYSTEM, actor_for
from shuangchuang.registration.models import DeregistrationState, Licence, Objection
from shuangchuang.registration.services import (
    bar_record,
    deregistration_eligibility,
    deregistration_start,
    deregistration_transition,
    licence_issue,
    objection_raise,
    objection_resolve,
)
from shuangchuang.registration.tests.conftest import abnormal_entry_for, pdf
from shuangchuang.registry.models import EnterpriseStatus

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize("start, version, notice_end, apply_by", [
    (D(2017, 3, 1), "A", D(2017, 4, 14), D(2017, 5, 14)),
    (D(2021, 8, 3), "A", D(2021, 9, 16), D(2021, 10, 16)),
    (D(2021, 8, 4), "B", D(2021, 8, 23), D(2021, 9, 12)),
    (D(2022, 2, 28), "B", D(2022, 3, 19), D(2022, 4, 8)),
    (D(2022, 3, 1), "C", D(2022, 3, 20), D(2022, 4, 9)),
    (D(2026, 11, 28), "C", D(2026, 12, 17), D(2027, 1, 6)),
])
def test_the_notice_period_follows_the_rule_in_force_on_the_start_day(firm_a, start, version, notice_end,
                                                                      apply_by):
    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf(), on=start)
    assert (file.rule_version, file.notice_start, file.notice_end, file.apply_by) == (
        version, start, notice_end, apply_by)
    assert (file.notice_end - file.notice_start).days + 1 == (45 if version == "A" else 20)


def test_before_the_2017_reform_there_is_no_simplified_deregistration(firm_a):
    result = deregistration_eligibility(firm_a["enterprise"], on=D(2017, 2, 28))
    assert not result["eligible"] and result["rule"] is None
    with pytest.raises(Conflict, match="not available on 2017-02-28"):
        deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                             promise=pdf(), on=D(2017, 2, 28))


def test_an_enterprise_on_the_abnormal_operation_list_is_not_eligible(firm_a):
    abnormal_entry_for(firm_a["enterprise"])
    result = deregistration_eligibility(firm_a["enterprise"], on=D(2026, 11, 28))
    failing = {c["code"]: c["message"] for c in result["checks"] if not c["ok"]}
    assert set(failing) == {"credit_lists"} and "未按规定报送年度报告" in failing["credit_lists"]


def test_frozen_equity_recorded_in_the_register_bars_until_it_is_lifted(firm_a, officer_actor):
    bar_record(actor=officer_actor, enterprise=firm_a["enterprise"], kind="equity_frozen", since=D(2026, 1, 5),
               lifted_on=D(2026, 10, 1), note="（2026）粤0305执123号")
    assert not deregistration_eligibility(firm_a["enterprise"], on=D(2026, 9, 30))["eligible"]
    assert deregistration_eligibility(firm_a["enterprise"], on=D(2026, 10, 1))["eligible"]


def test_a_joint_stock_company_was_outside_version_a_but_inside_version_c(firm_a):
    enterprise = firm_a["enterprise"]
    enterprise.legal_form = "jsc"
    enterprise.save(update_fields=["legal_form"])
    assert not deregistration_eligibility(enterprise, on=D(2018, 1, 1))["eligible"]
    assert deregistration_eligibility(enterprise, on=D(2023, 1, 1))["eligible"]


@pytest.fixture
def notice(firm_a):
    return deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="not_started",
                                promise=pdf(), on=D(2026, 11, 2))  # notice until 2026-11-21, apply by 2026-12-11


def test_objections_are_taken_during_the_notice_only(notice):
    objection = objection_raise(actor=Actor.anonymous(), deregistration=notice, kind="creditor", name="陈债权",
                                contact="13800000000", reason="尚欠货款未结清", amount_fen=1_234_500,
                                on=D(2026, 11, 10))
    assert objection.kind == "creditor" and objection.amount_fen == 1_234_500
    with pytest.raises(Conflict, match="during the notice only"):
        objection_raise(actor=Actor.anonymous(), deregistration=notice, kind="public", name="路人",
                        contact="a@b.cn", reason="x", on=D(2026, 11, 22))


def test_an_objection_without_reasons_is_refused(notice):
    with pytest.raises(ServiceError) as refused:
        objection_raise(actor=Actor.anonymous(), deregistration=notice, kind="public", name="路人", contact="",
                        reason="", on=D(2026, 11, 10))
    assert "Enter a phone number" in refused.value.message and "Give the reasons" in refused.value.message
    assert not Objection.objects.exists()


def test_a_department_officer_objects_as_the_department(notice, officer_stic, stic):
    objection = objection_raise(actor=actor_for(officer_stic, stic), deregistration=notice, kind="public", name="",
                                contact="0755-1234", reason="专项资金未结题", on=D(2026, 11, 10))
    assert objection.kind == "department" and objection.department == stic and objection.name == stic.name


def test_applying_is_possible_only_in_the_window_after_the_notice(notice, firm_a):
    with pytest.raises(Conflict, match="runs until 2026-11-21"):
        deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply",
                                  on=D(2026, 11, 21))
    with pytest.raises(Conflict, match="ended on 2026-12-11"):
        deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply",
                                  on=D(2026, 12, 12))
    deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply", on=D(2026, 12, 11))
    assert notice.state == DeregistrationState.APPLIED and notice.applied_on == D(2026, 12, 11)


def test_version_b_lets_the_window_be_extended_to_30_days(firm_a):
    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf(), on=D(2021, 9, 1))
    deregistration_transition(actor=firm_a["actor"], deregistration=file, transition="extend", on=D(2021, 9, 25))
    assert file.extended_to == D(2021, 10, 20)
    deregistration_transition(actor=firm_a["actor"], deregistration=file, transition="apply", on=D(2021, 10, 18))
    assert file.state == DeregistrationState.APPLIED


def test_version_c_allows_no_extension(notice, firm_a):
    with pytest.raises(Conflict, match="no \\(further\\) extension"):
        deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="extend",
                                  on=D(2026, 11, 25))


def test_approval_deregisters_the_enterprise_and_ends_its_licence(notice, firm_a, officer_actor):
    enterprise = firm_a["enterprise"]
    licence = licence_issue(actor=SYSTEM, enterprise=enterprise, application=None, scope="软件开发",
                            on=D(2026, 1, 1))
    objection = objection_raise(actor=Actor.anonymous(), deregistration=notice, kind="public", name="路人",
                                contact="13900000000", reason="不清楚", on=D(2026, 11, 3))
    deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply", on=D(2026, 12, 1))
    with pytest.raises(Conflict, match="Decide on every objection first"):
        deregistration_transition(actor=officer_actor, deregistration=notice, transition="approve",
                                  on=D(2026, 12, 2))
    objection_resolve(actor=officer_actor, objection=objection, decision="dismissed", note="无具体债权")
    deregistration_transition(actor=officer_actor, deregistration=notice, transition="approve", on=D(2026, 12, 2))
    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.DEREGISTERED and enterprise.status_changed_on == D(2026, 12, 2)
    assert Licence.objects.get(pk=licence.pk).revoked_at is not None


def test_an_upheld_objection_means_refusal(notice, firm_a, officer_actor):
    objection = objection_raise(actor=Actor.anonymous(), deregistration=notice, kind="creditor", name="陈债权",
                                contact="13800000000", reason="欠款", on=D(2026, 11, 3))
    objection_resolve(actor=officer_actor, objection=objection, decision="upheld", note="债务属实")
    deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply", on=D(2026, 12, 1))
    with pytest.raises(Conflict, match="upheld"):
        deregistration_transition(actor=officer_actor, deregistration=notice, transition="approve",
                                  on=D(2026, 12, 2))
    deregistration_transition(actor=officer_actor, deregistration=notice, transition="reject", note="债务未清偿",
                              on=D(2026, 12, 2))
    firm_a["enterprise"].refresh_from_db()
    assert notice.state == DeregistrationState.REJECTED
    assert firm_a["enterprise"].status == EnterpriseStatus.OPERATING


def test_a_listing_during_the_notice_stops_the_approval(notice, firm_a, officer_actor):
    deregistration_transition(actor=firm_a["actor"], deregistration=notice, transition="apply", on=D(2026, 12, 1))
    abnormal_entry_for(firm_a["enterprise"], listed_on="2026-11-30")
    with pytest.raises(Conflict, match="Abnormal|abnormal|经营异常"):
        deregistration_transition(actor=officer_actor, deregistration=notice, transition="approve",
                                  on=D(2026, 12, 2))


def test_the_promise_must_be_a_document(firm_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ServiceError) as refused:
        deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                             promise=SimpleUploadedFile("a.pdf", b"MZ\x90\x00binary\x00\x00"))
    assert refused.value.field == "promise"


def test_the_public_page_lists_running_notices_with_an_objection_form(firm_a, client):
    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf())
    page = client.get("/registration/notices/")
    assert page.status_code == 200
    body = page.content.decode()
    assert firm_a["enterprise"].name in body and f"/registration/notices/{file.pk}/object/" in body
    response = client.post(f"/registration/notices/{file.pk}/object/",
                           {"kind": "creditor", "name": "陈债权", "contact": "13800000000", "reason": "货款未付"})
    assert response.status_code == 302
    assert Objection.objects.get().reason == "货款未付"
    response = client.post(f"/registration/notices/{file.pk}/object/", {"kind": "public", "name": "x"})
    assert response.status_code == 200 and Objection.objects.count() == 1


def test_the_daily_job_closes_notices_not_applied_for_in_time(notice, firm_a):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("registration_daily", "--on", "2026-12-11", stdout=out)
    notice.refresh_from_db()
    assert notice.state == DeregistrationState.NOTICE and "lapsed: 0" in out.getvalue()
    call_command("registration_daily", "--on", "2026-12-12", stdout=out)
    notice.refresh_from_db()
    assert notice.state == DeregistrationState.LAPSED
    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf(), on=D(2026, 12, 13))
    assert file.state == DeregistrationState.NOTICE  # a lapsed notice does not stop a new one


@pytest.fixture
def individual(db):
    from shuangchuang.core.models import Role
    from shuangchuang.core.tests.factories import grant, make_enterprise_org, make_user
    from shuangchuang.registration.tests.conftest import register

    org = make_enterprise_org("深圳市南山区老王小吃店", 5)
    enterprise = register("深圳市南山区老王小吃店", 5, legal_form="individual")
    user = make_user("wang", full_name="王店主")
    grant(user, org, Role.LEGAL_REPRESENTATIVE)
    return {"enterprise": enterprise, "actor": actor_for(user, org)}


@pytest.fixture
def tax_officer(db):
    from shuangchuang.core.models import Role
    from shuangchuang.core.tests.factories import department, grant, make_user

    user = make_user("tax-officer", email="tax@example.cn", full_name="税务干部")
    grant(user, department("SZ-LTAX"), Role.OFFICER)
    return actor_for(user, department("SZ-LTAX"))


def test_an_individual_business_is_not_published_and_departments_have_ten_days(individual, tax_officer,
                                                                              officer_actor):
    from shuangchuang.core.models import Notification
    from shuangchuang.registration.selectors import notices_in_progress

    assert not deregistration_eligibility(individual["enterprise"], on=D(2022, 2, 1))["eligible"]
    file = deregistration_start(actor=individual["actor"], enterprise=individual["enterprise"], ground="no_debts",
                                promise=pdf(), on=D(2026, 11, 20))
    assert (file.is_public, file.notice_end) == (False, D(2026, 11, 29))
    assert file not in notices_in_progress(on=D(2026, 11, 21))
    assert Notification.objects.filter(recipient=tax_officer.user, url__endswith=f"/{file.pk}/").exists()
    with pytest.raises(Conflict, match="not published"):
        objection_raise(actor=Actor.anonymous(), deregistration=file, kind="public", name="路人", contact="1",
                        reason="x", on=D(2026, 11, 21))
    with pytest.raises(Conflict, match="may object until 2026-11-29"):
        deregistration_transition(actor=officer_actor, deregistration=file, transition="approve",
                                  on=D(2026, 11, 29))
    deregistration_transition(actor=officer_actor, deregistration=file, transition="approve", on=D(2026, 11, 30))
    individual["enterprise"].refresh_from_db()
    assert individual["enterprise"].status == EnterpriseStatus.DEREGISTERED


def test_a_told_department_sees_the_file_and_objects_on_it(individual, tax_officer, client, login):
    from shuangchuang.core.models import Organisation

    file = deregistration_start(actor=individual["actor"], enterprise=individual["enterprise"], ground="no_debts",
                                promise=pdf())
    login(tax_officer.user, Organisation.objects.get(code="SZ-LTAX"))
    page = client.get(f"/registration/deregistrations/{file.pk}/")
    assert page.status_code == 200 and "Object for your department" in page.content.decode()
    client.post(f"/registration/notices/{file.pk}/object/", {"kind": "public", "name": "深圳市地方税务局",
                                                             "contact": "0755-12366", "reason": "欠缴税款"})
    objection = Objection.objects.get()
    assert objection.kind == "department" and objection.department.code == "SZ-LTAX"


def test_a_published_notice_is_not_approved_before_the_enterprise_applies(notice, officer_actor):
    with pytest.raises(Conflict, match="applies after the notice"):
        deregistration_transition(actor=officer_actor, deregistration=notice, transition="approve",
                                  on=D(2026, 11, 25))


def test_public_objections_are_limited_per_client(notice, client, settings):
    settings.REGISTRATION_OBJECTIONS_PER_HOUR = 2
    file = notice
    file.notice_start, file.notice_end = D(2026, 11, 1), D(2099, 1, 1)
    file.save(update_fields=["notice_start", "notice_end"])
    body = {"kind": "creditor", "name": "陈债权", "contact": "13800000000", "reason": "货款未付"}
    answers = [client.post(f"/api/v1/registration/deregistrations/{file.pk}/objections", body,
                           content_type="application/json") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["error"]["code"] == "rate_limited"
    assert Objection.objects.count() == 2
