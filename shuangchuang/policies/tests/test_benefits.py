"""Benefits and parameters as officers manage them: the rule editor form (not only raw JSON), clear errors when a
rule is invalid, effective-dated parameters set with their source, and the cap that applies to an enterprise."""

import datetime

import pytest

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.models import Benefit, Parameter, PolicyDocument
from shuangchuang.policies.rules import RuleContext
from shuangchuang.policies.selectors.benefits import amount_for
from shuangchuang.policies.selectors.parameters import parameter_value
from shuangchuang.policies.services import benefit_create, parameter_add_period, parameter_set
from shuangchuang.policies.tests.factories import actor_for, department, make_officer


def formset(rows, **extra):
    data = {"c-TOTAL_FORMS": str(len(rows)), "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "40"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"c-{i}-{key}"] = value
    data.update(extra)
    return data


BASE = {"title": "深港青年创业补贴（测试）", "kind": "subsidy", "audience": "enterprise", "combinator": "all",
        "summary": "", "amount_text": "", "citation": "（二十一）", "keywords": "", "checked_at_application": ""}


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestRuleEditor:
    def test_an_officer_writes_a_rule_with_the_form(self, client, login, officer_stic):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        data = formset([
            {"fact": "district", "op": "in", "value": "440305, 440304", "cite": "（二十一）"},
            {"fact": "employees", "op": "between", "value": "10–300", "cite": ""},
            {"fact": "rd_ratio", "op": "gte", "value": "3", "cite": ""},
            {"fact": "founded_on", "op": "gte", "value": "2020-01-01", "cite": ""},
            {"fact": "listed", "op": "is", "value": "false", "cite": ""},
            {"fact": "revenue", "op": "lte", "value": "20,000,000", "cite": ""},
            {"fact": "", "op": "in", "value": "", "cite": ""},
        ], **BASE)
        response = login(officer_stic).post(f"/policies/{doc.pk}/benefits/new/", data)
        benefit = Benefit.objects.get(title="深港青年创业补贴（测试）")
        assert response.status_code == 302
        assert benefit.status == "draft" and benefit.department.code == "SZ-STIC"
        assert benefit.rule == {"all": [
            {"fact": "district", "op": "in", "value": ["440305", "440304"], "cite": "（二十一）"},
            {"fact": "employees", "op": "between", "value": [10, 300]},
            {"fact": "rd_ratio", "op": "gte", "value": "0.03"},
            {"fact": "founded_on", "op": "gte", "value": "2020-01-01"},
            {"fact": "listed", "op": "is", "value": False},
            {"fact": "revenue", "op": "lte", "value": 20000000},
        ]}

    @pytest.mark.parametrize("row,message", [
        ({"fact": "employees", "op": "between", "value": "300, 10"}, "The range is empty"),
        ({"fact": "size_class", "op": "in", "value": "tiny"}, "Unknown value(s) for Size class (2011 SME standard): tiny."),
        ({"fact": "employees", "op": "in", "value": "5"}, "The operator in cannot be used with Employees"),
        ({"fact": "employees", "op": "gt", "value": "many"}, "This fact is a whole number."),
    ])
    def test_an_invalid_rule_shows_a_clear_error_and_saves_nothing(self, client, login, officer_stic, row, message):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        response = login(officer_stic).post(f"/policies/{doc.pk}/benefits/new/", formset([{**row, "cite": ""}], **BASE))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Benefit.objects.filter(title=BASE["title"]).exists()

    def test_the_credit_condition_names_the_action_a_list_must_restrict(self, client, login, officer_stic):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        data = formset([{"fact": "credit_blocked", "op": "is", "value": "false", "cite": "（二）",
                         "action": "procurement"}], **BASE)
        assert login(officer_stic).post(f"/policies/{doc.pk}/benefits/new/", data).status_code == 302
        benefit = Benefit.objects.get(title=BASE["title"])
        assert benefit.rule == {"all": [{"fact": "credit_blocked", "op": "is", "value": False, "cite": "（二）",
                                         "action": "procurement"}]}
        html = client.get(f"/policies/benefits/{benefit.pk}/edit/").content.decode()
        assert "This rule has nested groups" not in html
        assert '<option value="procurement" selected>' in html

    def test_a_seeded_credit_condition_is_edited_in_the_form(self, client, login, officer_stic):
        voucher = Benefit.objects.get(code="innovation-voucher")
        assert voucher.rule["all"][-1]["action"] == "voucher"
        html = login(officer_stic).get(f"/policies/benefits/{voucher.pk}/edit/").content.decode()
        assert "This rule has nested groups" not in html

    def test_an_unknown_credit_action_is_refused(self, officer_stic):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        with pytest.raises(ServiceError) as error:
            benefit_create(actor=actor_for(officer_stic, department("SZ-STIC")), document=doc, title="x",
                           kind="subsidy", rule={"all": [{"fact": "credit_blocked", "op": "is", "value": False,
                                                          "action": "special_funds"}]})
        assert (error.value.code, error.value.field) == ("rule_bad_extra", "rule.all[0].action")
        assert "special_fund" in error.value.message

    def test_a_nested_rule_is_edited_as_json(self, client, login):
        hnte = Benefit.objects.get(code="hnte-recognition")
        officer = make_officer("officer-stic-json", "SZ-STIC")
        html = login(officer).get(f"/policies/benefits/{hnte.pk}/edit/").content.decode()
        assert "This rule has nested groups: edit it as JSON below." in html

    def test_a_bad_json_rule_is_reported(self, client, login, officer_stic):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        response = login(officer_stic).post(f"/policies/{doc.pk}/benefits/new/",
                                            formset([], **BASE, rule_json='{"all": [}'))
        assert "The rule is not valid JSON" in response.content.decode()

    def test_the_service_refuses_an_unknown_fact_with_its_path(self, officer_stic):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        with pytest.raises(ServiceError) as error:
            benefit_create(actor=actor_for(officer_stic, department("SZ-STIC")), document=doc, title="x",
                           kind="subsidy", rule={"all": [{"fact": "profit", "op": "gt", "value": 1}]})
        assert (error.value.code, error.value.field) == ("rule_unknown_fact", "rule.all[0].fact")


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestParameters:
    def test_a_gap_parameter_shows_as_not_set_until_an_officer_sets_it(self, client, login, officer_stic):
        gap = Parameter.objects.get(key="voucher.validity_months")
        assert "not set" in client.get("/policies/parameters/").content.decode()
        assert parameter_value("voucher.validity_months", on=datetime.date(2026, 11, 28)) is None
        response = login(officer_stic).post(f"/policies/parameters/{gap.pk}/set/",
                                            {"value": "12", "source": "深科技创新规〔2015〕1号（经办人核对原文）"})
        assert response.status_code == 302
        gap.refresh_from_db()
        assert (gap.value, gap.set_by.username) == (12, "officer-stic")
        assert parameter_value("voucher.validity_months", on=datetime.date(2026, 11, 28)) == 12

    def test_a_value_without_a_source_is_refused(self, officer_stic):
        with pytest.raises(ServiceError, match="Cite the source"):
            parameter_set(actor=actor_for(officer_stic, department("SZ-STIC")),
                          parameter=Parameter.objects.get(key="voucher.validity_months"), value=12, source=" ")

    def test_money_is_entered_in_yuan_and_kept_in_fen(self, officer_stic):
        row = parameter_set(actor=actor_for(officer_stic, department("SZ-STIC")),
                            parameter=Parameter.objects.get(key="voucher.annual_cap_per_entity"), value="250000.50",
                            source="测试来源")
        assert row.value == 25_000_050

    def test_a_new_period_closes_the_previous_one_and_values_are_read_by_date(self):
        officer = make_officer("officer-ntax-p", "SZ-NTAX")
        actor = actor_for(officer, department("SZ-NTAX"))
        parameter_add_period(actor=actor, key="vc.credit_rate", valid_from=datetime.date(2027, 1, 1), value="0.8",
                             source="（假设的新规定，仅用于测试）")
        rows = list(Parameter.objects.filter(key="vc.credit_rate").order_by("valid_from"))
        assert [(r.valid_from, r.valid_to, r.value) for r in rows] == [
            (datetime.date(2008, 1, 1), datetime.date(2026, 12, 31), "0.70"),
            (datetime.date(2027, 1, 1), None, "0.8")]
        assert str(parameter_value("vc.credit_rate", on=datetime.date(2026, 12, 31))) == "0.70"
        assert str(parameter_value("vc.credit_rate", on=datetime.date(2027, 1, 1))) == "0.8"

    def test_the_voucher_cap_follows_the_enterprises_size_class(self, firm_a):
        voucher = Benefit.objects.get(code="innovation-voucher")
        line = amount_for(voucher, firm_a, RuleContext(on=datetime.date(2026, 11, 28)))
        assert (line.key, line.text) == ("voucher.cap.small", "¥100,000")
