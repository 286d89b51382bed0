"""Registered particulars change only through the registry's services, by the enterprise's registration authority:
change of particulars, status, and the register's record of persons."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import actor_for, id_number
from shuangchuang.registry.models import EnterpriseStatus, NaturalPerson
from shuangchuang.registry.services import enterprise_change, enterprise_status_set, natural_person_get_or_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class TestEnterpriseChange:
    def test_the_authority_changes_the_name_and_capital_with_one_audit_event(self, firm_a, officer_mqsa, mqsa):
        changed = enterprise_change(actor=actor_for(officer_mqsa, mqsa), enterprise=firm_a,
                                    changes={"name": "深圳市甲丙科技有限公司", "registered_capital_fen": 500_000_00})
        firm_a.refresh_from_db()
        assert (firm_a.name, firm_a.registered_capital_fen) == ("深圳市甲丙科技有限公司", 500_000_00) == (
            changed.name, changed.registered_capital_fen)
        event = AuditEvent.objects.get(verb="registry.enterprise_changed")
        assert event.params["before"]["name"] == "深圳市甲科技有限公司"
        assert event.params["after"]["name"] == "深圳市甲丙科技有限公司"

    def test_another_department_may_not_change_it_and_nothing_changes(self, firm_a, officer_stic, stic):
        with pytest.raises(NotAllowed, match="registration authority changes"):
            enterprise_change(actor=actor_for(officer_stic, stic), enterprise=firm_a, changes={"address": "别处"})
        firm_a.refresh_from_db()
        assert firm_a.address == "深圳市南山区粤海街道科技园"
        assert not AuditEvent.objects.filter(verb="registry.enterprise_changed").exists()

    def test_the_enterprise_itself_may_not_change_its_register(self, firm_a, rep_a, enterprise_a):
        with pytest.raises(NotAllowed):
            enterprise_change(actor=actor_for(rep_a, enterprise_a), enterprise=firm_a, changes={"address": "别处"})

    def test_only_registered_particulars_can_be_changed(self, firm_a, officer_mqsa, mqsa):
        with pytest.raises(ServiceError) as error:
            enterprise_change(actor=actor_for(officer_mqsa, mqsa), enterprise=firm_a, changes={"uscc": "X"})
        assert error.value.code == "invalid_change"

    def test_a_deregistered_enterprise_cannot_change(self, firm_a, officer_mqsa, mqsa):
        officer = actor_for(officer_mqsa, mqsa)
        enterprise_status_set(actor=officer, enterprise=firm_a, status=EnterpriseStatus.DEREGISTERED,
                              on=datetime.date(2026, 11, 28))
        with pytest.raises(Conflict):
            enterprise_change(actor=officer, enterprise=firm_a, changes={"address": "别处"})


class TestStatusAndPersons:
    def test_the_status_is_set_from_a_day_and_audited(self, firm_a, officer_mqsa, mqsa):
        enterprise_status_set(actor=actor_for(officer_mqsa, mqsa), enterprise=firm_a, status="revoked",
                              on=datetime.date(2026, 11, 1))
        firm_a.refresh_from_db()
        assert (firm_a.status, firm_a.status_changed_on) == ("revoked", datetime.date(2026, 11, 1))
        assert AuditEvent.objects.get(verb="registry.enterprise_status_set").params["from"] == "operating"

    def test_an_unknown_status_is_refused(self, firm_a, officer_mqsa, mqsa):
        with pytest.raises(ServiceError) as error:
            enterprise_status_set(actor=actor_for(officer_mqsa, mqsa), enterprise=firm_a, status="asleep",
                                  on=datetime.date(2026, 11, 1))
        assert error.value.code == "invalid_status"

    def test_a_person_is_recorded_once_by_id_number(self, officer_mqsa, mqsa):
        actor = actor_for(officer_mqsa, mqsa)
        number = id_number(55, region="440305", birth="19900101")
        first = natural_person_get_or_create(actor=actor, id_number=number, name="张 三")
        again = natural_person_get_or_create(actor=actor, id_number=number, name="张三")
        assert first.pk == again.pk and first.name == "张 三"
        assert NaturalPerson.objects.filter(id_number=number).count() == 1
        assert AuditEvent.objects.filter(verb="registry.person_recorded").count() == 1

    def test_a_wrong_id_number_is_refused_with_the_field(self, officer_mqsa, mqsa):
        with pytest.raises(ServiceError) as error:
            natural_person_get_or_create(actor=actor_for(officer_mqsa, mqsa), id_number="440305199001011234",
                                         name="李四")
        assert error.value.field == "id_number"
        assert not NaturalPerson.objects.filter(name="李四").exists()
