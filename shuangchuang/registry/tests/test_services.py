"""Registry services: registering an enterprise and reporting its figures (permissions, size class, audit)."""

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import actor_for, enterprise_code, platform
from shuangchuang.registry.models import Enterprise, IndustryDivision
from shuangchuang.registry.services import enterprise_register, enterprise_update_figures
from shuangchuang.registry.tests.factories import register
from shuangchuang.registry.uscc import make_uscc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WAN = 1_000_000  # fen per 万元


def snapshot(enterprise):
    return Enterprise.objects.filter(pk=enterprise.pk).values(
        "financial_year", "employees", "revenue_fen", "total_assets_fen", "rd_expense_fen", "size_class").get()


class TestRegister:
    def test_registers_with_size_class_and_one_event(self, firm_a, mqsa, legal_rep_person):
        firm_a.refresh_from_db()
        assert firm_a.uscc == enterprise_code(1)
        assert firm_a.size_class == "small"  # manufacturing, 45 staff, 2 800 万元
        assert firm_a.legal_representative == legal_rep_person
        event = AuditEvent.objects.get(verb="registry.enterprise_registered")
        assert event.department == mqsa
        assert (event.object_type, event.object_id) == ("registry.enterprise", str(firm_a.pk))
        assert event.params == {"uscc": firm_a.uscc, "name": "深圳市甲科技有限公司"}
        assert event.actor_label == "system:test"

    def test_code_is_stored_compact_and_upper_case(self, mqsa):
        code = enterprise_code(5)
        enterprise = register(uscc=f" {code.lower()[:8]}-{code.lower()[8:]} ", name="  深圳市戊公司 ",
                              registration_authority=mqsa)
        enterprise.refresh_from_db()
        assert (enterprise.uscc, enterprise.name) == (code, "深圳市戊公司")

    @pytest.mark.parametrize(("uscc", "code"), [
        ("", "uscc_empty"),
        ("91440300MA5D1234", "uscc_wrong_length"),
        ("91440300MA5D12340E", "uscc_check_character"),
        ("91440300MA5I12340D", "uscc_forbidden_letter"),
    ])
    def test_bad_uscc_refused_and_nothing_stored(self, mqsa, uscc, code):
        with pytest.raises(ServiceError) as caught:
            register(uscc=uscc, name="深圳市错号公司", registration_authority=mqsa)
        assert caught.value.code == code
        assert caught.value.field == "uscc"
        assert caught.value.status == 400
        assert not Enterprise.objects.exists()
        assert AuditEvent.objects.count() == 0

    def test_duplicate_is_a_conflict(self, firm_a, mqsa):
        events = AuditEvent.objects.count()
        with pytest.raises(Conflict) as caught:
            register(uscc=firm_a.uscc.lower(), name="另一家公司", registration_authority=mqsa)
        assert caught.value.code == "uscc_exists"
        assert Enterprise.objects.count() == 1
        assert Enterprise.objects.get().name == "深圳市甲科技有限公司"
        assert AuditEvent.objects.count() == events

    def test_unknown_legal_form(self, mqsa):
        with pytest.raises(ServiceError) as caught:
            register(uscc=enterprise_code(5), name="X", legal_form="trust", registration_authority=mqsa)
        assert (caught.value.code, caught.value.field) == ("invalid_legal_form", "legal_form")
        assert not Enterprise.objects.exists()

    @pytest.mark.parametrize("field", ["registered_capital_fen", "revenue_fen", "total_assets_fen"])
    @pytest.mark.parametrize("value", [-1, 12.5])
    def test_money_must_be_whole_non_negative_fen(self, mqsa, field, value):
        with pytest.raises(ServiceError) as caught:
            register(uscc=enterprise_code(5), name="X", registration_authority=mqsa, **{field: value})
        assert (caught.value.code, caught.value.field) == ("invalid_amount", field)
        assert not Enterprise.objects.exists()

    def test_size_class_unknown_without_industry_or_figures(self, mqsa):
        no_industry = register(uscc=enterprise_code(5), name="X", registration_authority=mqsa, employees=50,
                               revenue_fen=5000 * WAN)
        no_revenue = register(uscc=enterprise_code(6), name="Y", registration_authority=mqsa, employees=50,
                              industry=IndustryDivision.objects.get(code="39"))
        assert (no_industry.size_class, no_revenue.size_class) == ("", "")

    def test_size_class_uses_the_industry_class(self, mqsa):
        figures = {"employees": 150, "revenue_fen": 3000 * WAN, "total_assets_fen": 6000 * WAN}
        developer = register(uscc=enterprise_code(5), name="开发", registration_authority=mqsa,
                             industry=IndustryDivision.objects.get(code="70"), industry_class_code="7010", **figures)
        manager = register(uscc=enterprise_code(6), name="物业", registration_authority=mqsa,
                           industry=IndustryDivision.objects.get(code="70"), industry_class_code="7020", **figures)
        assert (developer.size_class, manager.size_class) == ("medium", "small")

    def test_officer_registers_for_own_department(self, officer_mqsa, mqsa):
        enterprise = register(actor=actor_for(officer_mqsa, mqsa), uscc=enterprise_code(5), name="X",
                              registration_authority=mqsa)
        event = AuditEvent.objects.get(verb="registry.enterprise_registered")
        assert (event.actor, event.department, event.object_id) == (officer_mqsa, mqsa, str(enterprise.pk))

    def test_an_officer_must_name_the_registration_authority(self, officer_mqsa, mqsa):
        with pytest.raises(NotAllowed):
            register(actor=actor_for(officer_mqsa, mqsa), uscc=enterprise_code(6), name="Y", registration_authority=None)
        assert not Enterprise.objects.filter(uscc=enterprise_code(6)).exists()

    @pytest.mark.parametrize("who", ["anonymous", "enterprise", "other_department"])
    def test_others_may_not_register(self, who, rep_a, enterprise_a, officer_stic, stic, mqsa):
        actor = {"anonymous": Actor.anonymous(), "enterprise": actor_for(rep_a, enterprise_a),
                 "other_department": actor_for(officer_stic, stic)}[who]
        with pytest.raises(NotAllowed) as caught:
            register(actor=actor, uscc=enterprise_code(5), name="X", registration_authority=mqsa)
        assert caught.value.message == {
            "anonymous": "Only officers of a registration authority register enterprises.",
            "enterprise": "Only officers of a registration authority register enterprises.",
            "other_department": "You can only register enterprises for your own department.",
        }[who]
        assert not Enterprise.objects.exists()


class TestUpdateFigures:
    def update(self, actor, enterprise, **figures):
        values = {"financial_year": 2025, "employees": 350, "revenue_fen": 30_000 * WAN,
                  "total_assets_fen": 20_000 * WAN, "rd_expense_fen": 1_500 * WAN}
        values.update(figures)
        return enterprise_update_figures(actor=actor, enterprise=enterprise, **values)

    @pytest.mark.parametrize("who", ["anonymous", "other_enterprise", "officer_other_department",
                                     "officer_registration_authority", "person_without_organisation"])
    def test_refused_and_nothing_changes(self, who, firm_a, rep_a, rep_b, enterprise_b, officer_stic, stic,
                                         officer_mqsa, mqsa):
        actor = {
            "anonymous": Actor.anonymous(),
            "other_enterprise": actor_for(rep_b, enterprise_b),
            "officer_other_department": actor_for(officer_stic, stic),
            "officer_registration_authority": actor_for(officer_mqsa, mqsa),
            "person_without_organisation": Actor(user=rep_a),
        }[who]
        before = snapshot(firm_a)
        events = AuditEvent.objects.count()
        enterprise = Enterprise.objects.get(pk=firm_a.pk)
        with pytest.raises(NotAllowed) as caught:
            self.update(actor, enterprise)
        expected = "Log in first." if who == "anonymous" else "Only the enterprise itself may report its figures."
        assert caught.value.message == expected
        assert snapshot(firm_a) == before
        assert (enterprise.employees, enterprise.size_class) == (45, "small")
        assert AuditEvent.objects.count() == events

    @pytest.mark.parametrize("who", ["legal_rep", "staff", "platform_admin", "system"])
    def test_allowed(self, who, firm_a, rep_a, staff_a, enterprise_a, platform_admin):
        actor = {
            "legal_rep": actor_for(rep_a, enterprise_a),
            "staff": actor_for(staff_a, enterprise_a),
            "platform_admin": actor_for(platform_admin, platform()),
            "system": Actor.system("import"),
        }[who]
        self.update(actor, firm_a)
        assert snapshot(firm_a) == {"financial_year": 2025, "employees": 350, "revenue_fen": 30_000 * WAN,
                                    "total_assets_fen": 20_000 * WAN, "rd_expense_fen": 1_500 * WAN,
                                    "size_class": "medium"}

    def test_size_class_recomputed_and_audited(self, firm_a, rep_a, enterprise_a, mqsa):
        actor = actor_for(rep_a, enterprise_a)
        assert firm_a.size_class == "small"
        self.update(actor, firm_a, employees=1000, revenue_fen=40_000 * WAN)
        assert snapshot(firm_a)["size_class"] == "large"
        event = AuditEvent.objects.order_by("-seq").first()
        assert event.verb == "registry.enterprise_figures_updated"
        assert (event.actor, event.organisation, event.department) == (rep_a, enterprise_a, mqsa)
        assert event.params == {
            "before": {"employees": 45, "revenue_fen": 2_800_000_000, "total_assets_fen": 3_500_000_000,
                       "size_class": "small"},
            "financial_year": 2025, "size_class": "large",
        }
        self.update(actor, firm_a, employees=19)
        assert snapshot(firm_a)["size_class"] == "micro"
        self.update(actor, firm_a, revenue_fen=None)
        assert snapshot(firm_a)["size_class"] == ""

    @pytest.mark.parametrize(("field", "value", "code"), [
        ("employees", -1, "invalid_employees"), ("revenue_fen", -1, "invalid_amount"),
        ("total_assets_fen", -5, "invalid_amount"), ("rd_expense_fen", 1.5, "invalid_amount"),
    ])
    def test_invalid_figures_refused_and_nothing_changes(self, firm_a, rep_a, enterprise_a, field, value, code):
        before = snapshot(firm_a)
        with pytest.raises(ServiceError) as caught:
            self.update(actor_for(rep_a, enterprise_a), firm_a, **{field: value})
        assert (caught.value.code, caught.value.field) == (code, field)
        assert snapshot(firm_a) == before


def test_registering_through_the_service_is_the_only_writer(mqsa):
    """A code made by make_uscc for another region and entity type is accepted as is."""
    code = make_uscc("9", "2", "440305", "L1234567")
    enterprise = enterprise_register(actor=Actor.system("test"), uscc=code, name="个体户", legal_form="individual",
                                     registration_authority=mqsa)
    assert Enterprise.objects.get(uscc=code) == enterprise


@pytest.mark.django_db
class TestRegisterInputRules:
    def test_an_empty_name_is_refused_and_nothing_is_stored(self):
        with pytest.raises(ServiceError) as exc:
            enterprise_register(actor=Actor.system("test"), uscc=make_uscc("9", "1", "440300", "MA7N0001"),
                                name="   ", legal_form="llc")
        assert exc.value.code == "name_required"
        assert exc.value.field == "name"
        assert not Enterprise.objects.exists()
