"""Officers of the registration authority add dated versions of the registration rules; the past stays as it was."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.registration.models import RuleParameter
from shuangchuang.registration.selectors import rule_value, today
from shuangchuang.registration.services import rule_set

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def snapshot():
    return sorted(RuleParameter.objects.values_list("key", "valid_from", "valid_to", "value", "source"),
                  key=lambda row: (row[0], row[1]))


def current_deregistration_rule() -> dict:
    return copy.deepcopy(RuleParameter.objects.filter(key="deregistration.rule").order_by("valid_from").last().value)


def test_an_officer_adds_a_deregistration_rule_version_and_the_one_before_ends_the_day_before(officer_actor):
    before = RuleParameter.objects.filter(key="deregistration.rule").order_by("valid_from").last()
    old_value = copy.deepcopy(before.value)
    value = current_deregistration_rule()
    value.update(version="D", notice_days=30, basis="示例：新规定 30 日公示")
    row = rule_set(actor=officer_actor, key="deregistration.rule", valid_from=days(10), value=value,
                   source="示例文件 2026 第1号")
    before.refresh_from_db()
    assert before.valid_to == days(9) and before.value == old_value
    assert rule_value("deregistration.rule", on=days(9))["notice_days"] == 20
    assert rule_value("deregistration.rule", on=days(10))["notice_days"] == 30
    assert row.label == before.label and row.valid_to is None
    event = AuditEvent.objects.filter(verb="registration.rule_set").last()
    assert event.params["key"] == "deregistration.rule" and event.params["value"]["notice_days"] == 30
    assert event.params["previous"]["value"]["notice_days"] == 20


BAD = [
    ("a past date", "deregistration.rule", -1, lambda v: v, "past_date"),
    ("a missing part", "deregistration.rule", 5, lambda v: {k: x for k, x in v.items() if k != "notice_days"},
     "invalid_value"),
    ("an unknown part", "deregistration.rule", 5, lambda v: {**v, "surprise": 1}, "invalid_value"),
    ("a notice of zero days", "deregistration.rule", 5, lambda v: {**v, "notice_days": 0}, "invalid_value"),
    ("a notice given as text", "deregistration.rule", 5, lambda v: {**v, "notice_days": "20"}, "invalid_value"),
    ("an unknown legal form", "deregistration.rule", 5, lambda v: {**v, "forms": ["llc", "trust"]},
     "invalid_value"),
    ("a condition switched by a word", "cluster.custodian_checks", 5, lambda v: {**v, "clear_title": "no"},
     "invalid_value"),
    ("an unknown department", "deregistration.notify_departments", 5, lambda v: ["SZ-NTAX", "SZ-NOPE"],
     "invalid_value"),
    ("a department twice", "deregistration.notify_departments", 5, lambda v: ["SZ-NTAX", "SZ-NTAX"],
     "invalid_value"),
    ("no departments", "deregistration.notify_departments", 5, lambda v: [], "invalid_value"),
    ("months as text", "cluster.first_contract_months", 5, lambda v: "three", "invalid_value"),
    ("no value", "cluster.first_contract_months", 5, lambda v: None, "invalid_value"),
    ("working days of zero", "establishment.decision_working_days", 5, lambda v: 0, "invalid_value"),
]


@pytest.mark.parametrize(("case", "key", "offset", "change", "code"), BAD, ids=[case[0] for case in BAD])
def test_a_bad_version_is_refused_and_nothing_changes(officer_actor, case, key, offset, change, code):
    last = RuleParameter.objects.filter(key=key).order_by("valid_from").last()
    valid_from = days(offset)
    value = change(copy.deepcopy(last.value))
    before, events = snapshot(), AuditEvent.objects.count()
    with pytest.raises(ServiceError) as error:
        rule_set(actor=officer_actor, key=key, valid_from=valid_from, value=value, source="示例")
    assert error.value.code == code
    assert snapshot() == before and AuditEvent.objects.count() == events


def test_a_version_cannot_replace_or_slip_before_a_later_one(officer_actor):
    rule_set(actor=officer_actor, key="cluster.first_contract_months", valid_from=days(10), value=3, source="a")
    before = snapshot()
    for valid_from in (days(10), days(5)):
        with pytest.raises(ServiceError) as error:
            rule_set(actor=officer_actor, key="cluster.first_contract_months", valid_from=valid_from, value=6,
                     source="b")
        assert error.value.code == "not_after_last"
    assert snapshot() == before and rule_value("cluster.first_contract_months", on=days(10)) == 3


def test_reloading_the_rules_data_keeps_the_authoritys_later_version_in_force(officer_actor):
    from shuangchuang.registration.reference import load_rules

    rule_set(actor=officer_actor, key="establishment.decision_working_days", valid_from=days(4), value=2,
             source="示例")
    load_rules()
    rows = list(RuleParameter.objects.filter(key="establishment.decision_working_days").order_by("valid_from"))
    assert [row.value for row in rows] == [3, 2] and rows[0].valid_to == days(3) and rows[1].valid_to is None
    assert rule_value("establishment.decision_working_days", on=days(3)) == 3
    assert rule_value("establishment.decision_working_days", on=days(4)) == 2


def test_a_version_without_a_source_or_of_an_unknown_rule_is_refused(officer_actor):
    with pytest.raises(ServiceError, match="Cite the source"):
        rule_set(actor=officer_actor, key="cluster.first_contract_months", valid_from=days(1), value=3, source=" ")
    with pytest.raises(ServiceError, match="Unknown rule"):
        rule_set(actor=officer_actor, key="no.such.rule", valid_from=days(1), value=3, source="x")


def test_the_departments_told_of_a_deregistration_can_be_changed_from_a_date(officer_actor):
    rule_set(actor=officer_actor, key="deregistration.notify_departments", valid_from=days(3),
             value=["SZ-NTAX", "SZ-STIC"], source="示例通知")
    assert rule_value("deregistration.notify_departments", on=days(2)) == ["SZ-NTAX", "SZ-LTAX", "SZ-HRSS"]
    assert rule_value("deregistration.notify_departments", on=days(3)) == ["SZ-NTAX", "SZ-STIC"]


# ---- pages ---------------------------------------------------------------------------------------------------

def test_the_officer_sees_every_rule_with_its_versions(officer, mqsa, login):
    response = login(officer, mqsa).get("/registration/rules/")
    body = response.content.decode()
    assert response.status_code == 200
    for key in ("deregistration.rule", "cluster.custodian_checks", "deregistration.notify_departments",
                "establishment.decision_working_days", "cluster.first_contract_months"):
        assert key in body
    assert "/registration/rules/deregistration.rule/new/" in body


def test_the_officer_adds_a_version_on_the_page(officer, mqsa, login):
    client = login(officer, mqsa)
    page = client.get("/registration/rules/cluster.custodian_checks/new/")
    assert page.status_code == 200 and "clear_title" in page.content.decode()
    value = dict(RuleParameter.objects.filter(key="cluster.custodian_checks").last().value, clear_title=False)
    response = client.post("/registration/rules/cluster.custodian_checks/new/", {
        "valid_from": days(7).isoformat(), "value": json.dumps(value), "source": "示例：深圳 2026 托管办法"})
    assert response.status_code == 302
    assert rule_value("cluster.custodian_checks", on=days(7))["clear_title"] is False
    assert rule_value("cluster.custodian_checks", on=days(6))["clear_title"] is True


def test_bad_input_on_the_page_shows_the_reason_at_the_field_and_changes_nothing(officer, mqsa, login):
    client = login(officer, mqsa)
    before = snapshot()
    url = "/registration/rules/deregistration.rule/new/"
    broken = client.post(url, {"valid_from": days(7).isoformat(), "value": "{not json", "source": "x"})
    assert broken.status_code == 200 and "This is not valid JSON." in broken.content.decode()
    value = dict(current_deregistration_rule(), notice_days=0)
    zero = client.post(url, {"valid_from": days(7).isoformat(), "value": json.dumps(value), "source": "x"})
    assert zero.status_code == 200 and "notice_days must be a whole number from 1" in zero.content.decode()
    past = client.post(url, {"valid_from": days(-3).isoformat(), "value": json.dumps(current_deregistration_rule()),
                             "source": "x"})
    assert "cannot start in the past" in past.content.decode()
    assert snapshot() == before


def test_the_officer_finds_the_rules_from_the_registration_page_and_the_department_codes_on_the_form(
        officer, mqsa, login):
    client = login(officer, mqsa)
    assert "/registration/rules/" in client.get("/registration/").content.decode()
    form = client.get("/registration/rules/deregistration.notify_departments/new/").content.decode()
    assert "Department codes" in form and "<code>SZ-STIC</code>" in form


def test_an_unknown_rule_page_is_not_found(officer, mqsa, login):
    assert login(officer, mqsa).get("/registration/rules/no.such.rule/new/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "enterprise", "other_department"])
def test_only_officers_of_the_registration_authority_set_rules(who, client, login, firm_a, officer_stic, stic):
    if who == "enterprise":
        login(firm_a["user"], firm_a["org"])
    elif who == "other_department":
        login(officer_stic, stic)
    before, events = snapshot(), AuditEvent.objects.count()
    assert client.get("/registration/rules/").status_code in (302, 403)
    response = client.post("/registration/rules/cluster.first_contract_months/new/", {
        "valid_from": days(5).isoformat(), "value": "3", "source": "x"})
    assert response.status_code in (302, 403)
    if who != "anonymous":
        assert response.status_code == 403
        assert "Only officers of the registration authority set registration rules." in response.content.decode()
    assert snapshot() == before and AuditEvent.objects.count() == events


def test_another_departments_officer_is_refused_by_the_service(officer_stic, stic):
    from shuangchuang.core.tests.factories import actor_for

    with pytest.raises(NotAllowed):
        rule_set(actor=actor_for(officer_stic, stic), key="cluster.first_contract_months", valid_from=days(5),
                 value=3, source="x")
    assert rule_value("cluster.first_contract_months", on=days(5)) is None


def test_the_rule_labels_are_shown_in_the_pages_language(officer, mqsa, login):
    from shuangchuang.registration.templatetags.registration_tags import RULE_LABELS

    assert {row.label for row in RuleParameter.objects.all()} <= set(RULE_LABELS)  # each one a msgid
    body = login(officer, mqsa).get("/registration/rules/").content.decode()
    assert "Simplified deregistration rule version" in body
