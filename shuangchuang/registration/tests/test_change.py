"""Change registration: the same checks as establishment for the items that change; the register is updated,
the licence reissued (the old one marked replaced) and the old name protected (through the names module)."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, ServiceError
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.registration.models import ApplicationState, Licence
from shuangchuang.registration.services import ApplicationData, application_transition, change_apply, \
    licence_issue
from shuangchuang.registration.tests.conftest import FOUNDER_ID, serious_entry_for_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def licensed(firm_a):
    licence = licence_issue(actor=SYSTEM, enterprise=firm_a["enterprise"], application=None, scope="软件开发",
                            on=datetime.date(2019, 5, 20))
    return firm_a | {"licence": licence}


def test_a_change_of_address_and_scope_updates_the_register_and_reissues_the_licence(licensed, officer_actor):
    data = ApplicationData(items=["address", "scope"], address="深圳市福田区深南大道1号", district="440304",
                           scope_terms=["S0001", "S0012"])
    application = change_apply(actor=licensed["actor"], enterprise=licensed["enterprise"], data=data)
    assert application.changes[0] == {"item": "address", "old": "深圳市南山区科技园1号"}
    application_transition(actor=licensed["actor"], application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="approve")
    enterprise = licensed["enterprise"]
    enterprise.refresh_from_db()
    assert enterprise.address == "深圳市福田区深南大道1号" and enterprise.district.code == "440304"
    old = Licence.objects.get(pk=licensed["licence"].pk)
    new = Licence.objects.get(enterprise=enterprise, superseded_at__isnull=True)
    assert old.superseded_at is not None and not old.is_current
    assert new.scope == "软件开发；货物进出口" and new.address == enterprise.address
    assert new.founded_on == datetime.date(2019, 5, 20) and new.uscc == enterprise.uscc


def test_a_change_needs_at_least_one_item(licensed):
    application = change_apply(actor=licensed["actor"], enterprise=licensed["enterprise"], data=ApplicationData())
    with pytest.raises(ServiceError, match="Change at least one item"):
        application_transition(actor=licensed["actor"], application=application, transition="submit")


def test_a_new_legal_representative_is_screened_like_at_establishment(licensed):
    serious_entry_for_person(FOUNDER_ID)
    data = ApplicationData(items=["legal_representative"], legal_rep_name="张创业", legal_rep_id_number=FOUNDER_ID)
    application = change_apply(actor=licensed["actor"], enterprise=licensed["enterprise"], data=data)
    with pytest.raises(Conflict) as refused:
        application_transition(actor=licensed["actor"], application=application, transition="submit")
    assert "may not act as legal representative" in refused.value.message
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_a_name_change_renames_the_enterprise_and_its_organisation(licensed, officer_actor):
    data = ApplicationData(items=["name"], name="深圳市甲乙智能科技有限公司")
    application = change_apply(actor=licensed["actor"], enterprise=licensed["enterprise"], data=data)
    application_transition(actor=licensed["actor"], application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="approve")
    licensed["enterprise"].refresh_from_db()
    licensed["org"].refresh_from_db()
    assert licensed["enterprise"].name == licensed["org"].name == "深圳市甲乙智能科技有限公司"
    assert Licence.objects.get(enterprise=licensed["enterprise"], superseded_at__isnull=True).name == \
        "深圳市甲乙智能科技有限公司"
