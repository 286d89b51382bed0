"""Cluster registration: a custodian approved when the configured conditions pass, hosted firms registered at
its annotated address under a hosting contract, the firms at the address listed, documents served recorded."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.registration.models import CustodianState, HostingContract, RuleParameter, ServedDocument
from shuangchuang.registration.services import (
    application_transition,
    custodian_apply,
    custodian_decide,
    document_served_record,
    establishment_apply,
    licence_issue,
)
from shuangchuang.registration.tests.conftest import abnormal_entry_for, complete_data, pdf
from shuangchuang.registry.models import Enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def secretary(firm_a):
    licence_issue(actor=SYSTEM, enterprise=firm_a["enterprise"], application=None, scope="商务秘书服务；企业管理咨询",
                  on=D(2020, 1, 1))
    return firm_a


def apply(firm, **kwargs):
    values = {"address": "深圳市福田区福华路88号", "declarations": {"service_place": True, "staff_and_procedures": True},
              "title_document": pdf()}
    values.update(kwargs)
    return custodian_apply(actor=firm["actor"], enterprise=firm["enterprise"], **values)


def test_a_custodian_meeting_every_condition_is_approved(secretary, officer_actor):
    custodian = apply(secretary)
    assert all(c["ok"] for c in custodian.checks) and len(custodian.checks) == 7
    custodian_decide(actor=officer_actor, custodian=custodian, decision="approve")
    assert custodian.state == CustodianState.APPROVED
    assert custodian.annotated_address == "深圳市福田区福华路88号（托管企业）"


def test_a_failing_condition_blocks_approval_and_says_which(firm_a, officer_actor):
    abnormal_entry_for(firm_a["enterprise"])
    custodian = apply(firm_a, title_document=None)
    failing = {c["code"] for c in custodian.checks if not c["ok"]}
    assert failing == {"scope_business_secretary", "clear_title", "not_listed"}
    with pytest.raises(Conflict, match="Conditions not met"):
        custodian_decide(actor=officer_actor, custodian=custodian, decision="approve")
    assert custodian.state == CustodianState.APPLIED


def test_a_condition_switched_off_by_the_authority_is_not_checked(firm_a):
    row = RuleParameter.objects.get(key="cluster.custodian_checks")
    row.value = {**row.value, "scope_business_secretary": False}
    row.save()
    custodian = apply(firm_a)
    assert "scope_business_secretary" not in {c["code"] for c in custodian.checks}


def test_a_hosted_firm_registers_at_the_custodians_address_with_a_contract(secretary, officer_actor,
                                                                            founder_actor, client):
    custodian = apply(secretary)
    custodian_decide(actor=officer_actor, custodian=custodian, decision="approve")
    application = establishment_apply(actor=founder_actor, data=complete_data(
        address="", custodian_id=custodian.pk, hosting_start=D(2026, 12, 1), hosting_end=D(2027, 2, 28)),
        articles=pdf())
    assert application.address == "深圳市福田区福华路88号（托管企业）"
    application_transition(actor=founder_actor, application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="approve")
    hosted = Enterprise.objects.get(uscc=application.uscc)
    assert hosted.address == custodian.annotated_address
    contract = HostingContract.objects.get(custodian=custodian, enterprise=hosted)
    assert (contract.starts_on, contract.ends_on) == (D(2026, 12, 1), D(2027, 2, 28))
    page = client.get(f"/registration/custodians/{custodian.pk}/").content.decode()
    assert hosted.name in page

    document_served_record(actor=secretary["actor"], custodian=custodian, enterprise=hosted,
                           title="行政处罚告知书", sender="深圳市市场监督管理局", received_on=D(2026, 12, 10),
                           signed_on=D(2026, 12, 10))
    assert ServedDocument.objects.get().enterprise == hosted
    with pytest.raises(Conflict, match="not hosted"):
        document_served_record(actor=secretary["actor"], custodian=custodian, enterprise=hosted, title="x",
                               sender="y", received_on=D(2027, 3, 10), signed_on=D(2027, 3, 10))


def test_an_unapproved_custodian_cannot_be_chosen(firm_a, founder_actor):
    custodian = apply(firm_a)
    application = establishment_apply(actor=founder_actor, data=complete_data(
        custodian_id=custodian.pk, hosting_start=D(2026, 12, 1), hosting_end=D(2027, 2, 28)), articles=pdf())
    with pytest.raises(Exception, match="not approved for cluster registration"):
        application_transition(actor=founder_actor, application=application, transition="submit")


def test_the_authority_sets_a_gap_rule_from_a_date_and_outsiders_cannot(officer_actor, firm_b):
    from shuangchuang.core.errors import NotAllowed
    from shuangchuang.registration.selectors import rule_value
    from shuangchuang.registration.services import rule_set

    assert rule_value("cluster.first_contract_months", on=D(2027, 1, 1)) is None
    with pytest.raises(NotAllowed):
        rule_set(actor=firm_b["actor"], key="cluster.first_contract_months", valid_from=D(2027, 1, 1), value=3,
                 source="x")
    rule_set(actor=officer_actor, key="cluster.first_contract_months", valid_from=D(2027, 1, 1), value=3,
             source="深圳市 2027 集群注册办法（示例）")
    assert rule_value("cluster.first_contract_months", on=D(2026, 12, 31)) is None
    assert rule_value("cluster.first_contract_months", on=D(2027, 1, 1)) == 3


def test_the_custodian_ends_a_hosting_contract_on_its_page(secretary, officer_actor, client, login):
    custodian = apply(secretary)
    custodian_decide(actor=officer_actor, custodian=custodian, decision="approve")
    from shuangchuang.registration.tests.conftest import register

    hosted = register("深圳市被托管科技有限公司", 9, address=custodian.annotated_address)
    contract = HostingContract.objects.create(custodian=custodian, enterprise=hosted, starts_on=D(2026, 1, 1),
                                              ends_on=D(2027, 12, 31))
    login(secretary["user"], secretary["org"])
    response = client.post(f"/registration/custodians/{custodian.pk}/",
                           {"end_contract": contract.pk, "ended_on": "2026-11-28"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ended_on == D(2026, 11, 28)


def test_ending_a_contract_that_is_not_a_number_says_choose_the_contract(secretary, officer_actor, client, login):
    custodian = apply(secretary)
    custodian_decide(actor=officer_actor, custodian=custodian, decision="approve")
    login(secretary["user"], secretary["org"])
    for chosen in ("abc", "9" * 25, ""):
        response = client.post(f"/registration/custodians/{custodian.pk}/",
                               {"end_contract": chosen, "ended_on": "2026-11-28"}, follow=True)
        assert response.status_code == 200, chosen
        assert "Choose the contract and the day it ends." in response.content.decode()
