"""The rules engine: validation when an officer saves a rule, explanation of one enterprise, and the SQL query —
which must select exactly the enterprises the explanation passes."""

import datetime

import pytest

from shuangchuang.policies import rules
from shuangchuang.policies.rules import facts as facts_module
from shuangchuang.policies.rules import FAIL, PASS, UNKNOWN, RuleError, explain, matching_enterprises, validate_rule
from shuangchuang.policies.rules.facts import completed_months, completed_years, shift_months
from shuangchuang.policies.tests.factories import make_enterprise
from shuangchuang.registry.models import Enterprise

ON = datetime.date(2026, 11, 28)


def cond(fact, op, value, **extra):
    return {"fact": fact, "op": op, "value": value, **extra}


class TestValidation:
    @pytest.mark.parametrize("rule,code,field", [
        ({"all": [cond("turnover", "gt", 1)]}, "rule_unknown_fact", "rule.all[0].fact"),
        ({"all": [cond("employees", "gt", "many")]}, "rule_wrong_type", "rule.all[0].value"),
        ({"all": [cond("employees", "gt", 1.5)]}, "rule_wrong_type", "rule.all[0].value"),
        ({"all": [cond("listed", "is", "no")]}, "rule_wrong_type", "rule.all[0].value"),
        ({"all": [cond("employees", "between", [500, 10])]}, "rule_empty_range", "rule.all[0].value"),
        ({"all": [cond("revenue", "lt", 0)]}, "rule_empty_range", "rule.all[0].value"),
        ({"all": [cond("revenue", "gt", -5)]}, "rule_negative", "rule.all[0].value"),
        ({"all": [cond("revenue", "gt", "10.005")]}, "rule_money_precision", "rule.all[0].value"),
        ({"all": [cond("employees", "in", [1])]}, "rule_bad_op", "rule.all[0].op"),
        ({"all": [cond("size_class", "in", [])]}, "rule_choice_empty", "rule.all[0].value"),
        ({"all": [cond("size_class", "in", ["tiny"])]}, "rule_unknown_choice", "rule.all[0].value"),
        ({"all": [cond("founded_on", "gt", "2020-02-30")]}, "rule_wrong_type", "rule.all[0].value"),
        ({"all": [cond("employees", "gte", 500), cond("employees", "lt", 500)]}, "rule_contradiction",
         "rule.all[1]"),
        ({"all": [cond("size_class", "in", ["small"]), cond("size_class", "in", ["micro"])]}, "rule_contradiction",
         "rule.all[1]"),
        ({"all": [cond("employees", "gt", {"param": "no.such.key"})]}, "rule_unknown_param", "rule.all[0].value"),
        ({"every": []}, "rule_bad_group", "rule"),
        ({"any": []}, "rule_empty_any", "rule"),
        ({"all": [{**cond("employees", "gt", 1), "colour": "red"}]}, "rule_unknown_key", "rule.all[0]"),
    ])
    def test_invalid_rules_are_refused_with_a_clear_error(self, db, rule, code, field):
        with pytest.raises(RuleError) as error:
            validate_rule(rule)
        assert error.value.code == code
        assert error.value.field == field
        assert error.value.message

    def test_the_message_names_the_unknown_fact(self, db):
        with pytest.raises(RuleError, match="There is no fact called turnover."):
            validate_rule({"all": [cond("turnover", "gt", 1)]})

    def test_a_valid_rule_is_returned_unchanged(self, db):
        rule = {"all": [cond("employees", "lte", 500, cite="（六）"), {"any": [cond("tech_sme", "is", True),
                                                                               cond("high_tech", "is", True)]}]}
        assert validate_rule(rule) == rule

    def test_an_empty_rule_means_no_conditions(self, db):
        assert validate_rule({}) == {"all": []}


@pytest.fixture
def firms(db):
    small = make_enterprise(11, "深圳市小型制造有限公司", employees=45, revenue_fen=2_800_000_000,
                            rd_expense_fen=112_000_000)
    unknown = make_enterprise(12, "深圳市未报数据有限公司", employees=None, revenue_fen=None, assets_fen=None)
    big = make_enterprise(13, "深圳市大型制造有限公司", employees=2000, revenue_fen=90_000_000_000,
                          assets_fen=90_000_000_000, rd_expense_fen=900_000_000)
    return small, unknown, big


class TestExplanation:
    RULE = {"all": [
        cond("size_class", "in", ["medium", "small", "micro"], cite="（十八）"),
        cond("employees", "lte", 500, cite="财税〔2007〕31号"),
        cond("rd_ratio", "gte", "0.05", cite="国科发火〔2016〕32号"),
    ]}

    def test_each_condition_passes_fails_or_is_unknown_with_its_clause(self, firms):
        small, unknown, _big = firms
        explanation = explain(self.RULE, small, on=ON)
        assert [c.outcome for c in explanation.conditions] == [PASS, PASS, FAIL]
        assert [c.cite for c in explanation.conditions] == ["（十八）", "财税〔2007〕31号", "国科发火〔2016〕32号"]
        assert explanation.conditions[2].actual == "4%"
        assert explanation.conditions[2].requirement == "R&D expense as a share of revenue is at least 5%"
        assert explanation.outcome == FAIL

        unknown_explanation = explain(self.RULE, unknown, on=ON)
        assert [c.outcome for c in unknown_explanation.conditions] == [UNKNOWN, UNKNOWN, UNKNOWN]
        assert unknown_explanation.conditions[1].note == "The register does not have this fact for the enterprise."
        assert unknown_explanation.outcome == UNKNOWN

    def test_one_failing_condition_is_a_near_miss_saying_what_would_change_it(self, firms):
        small, unknown, big = firms
        miss = explain(self.RULE, small, on=ON).near_miss
        assert miss is not None and miss.fact == "rd_ratio"
        assert explain(self.RULE, big, on=ON).near_miss is None  # large and too many employees: two failures
        assert explain(self.RULE, unknown, on=ON).near_miss is None

    def test_the_query_selects_exactly_the_passing_enterprises(self, firms):
        small, _unknown, big = firms
        rule = {"all": [cond("employees", "lte", 500), cond("status", "in", ["operating"])]}
        assert list(matching_enterprises(rule, on=ON)) == [small]
        assert explain(rule, small, on=ON).passed and not explain(rule, big, on=ON).passed

    def test_not_of_an_unknown_fact_stays_unknown_and_does_not_match(self, firms):
        small, unknown, big = firms
        rule = {"not": cond("employees", "gt", 500)}
        assert set(matching_enterprises(rule, on=ON)) == {small}
        assert explain(rule, unknown, on=ON).outcome == UNKNOWN

    def test_money_values_are_yuan_and_compare_in_fen(self, firms):
        small, _unknown, _big = firms
        assert explain({"all": [cond("revenue", "eq", 28_000_000)]}, small, on=ON).passed
        assert matching_enterprises({"all": [cond("revenue", "eq", 28_000_000)]}, on=ON).get() == small

    def test_a_parameter_is_read_on_the_date_of_evaluation(self, firms, seeded):
        small, _unknown, big = firms
        rule = {"all": [cond("employees", "lte", {"param": "vc.investee.max_employees"})]}
        assert explain(rule, small, on=ON).passed
        assert explain(rule, small, on=datetime.date(2007, 1, 1)).outcome == UNKNOWN  # no period yet
        assert "not set" in explain(rule, small, on=datetime.date(2007, 1, 1)).conditions[0].requirement
        assert set(matching_enterprises(rule, on=ON)) == {small}
        assert not matching_enterprises(rule, on=datetime.date(2007, 1, 1)).exists()


class TestAge:
    @pytest.mark.parametrize("founded,on,months", [
        (datetime.date(2023, 1, 31), datetime.date(2023, 2, 28), 0),
        (datetime.date(2023, 1, 28), datetime.date(2023, 2, 28), 1),
        (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), 11),
        (datetime.date(2024, 2, 29), datetime.date(2025, 3, 1), 12),
    ])
    def test_completed_months(self, founded, on, months):
        assert completed_months(founded, on) == months

    def test_a_firm_founded_on_a_leap_day_is_one_year_old_on_the_first_of_march(self):
        assert completed_years(datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)) == 0
        assert completed_years(datetime.date(2024, 2, 29), datetime.date(2025, 3, 1)) == 1

    def test_shifting_clamps_the_day_to_the_end_of_the_month(self):
        assert shift_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)


class TestCreditFact:
    def test_without_the_credit_module_the_fact_is_unknown_and_cannot_be_chosen(self, firms, monkeypatch):
        monkeypatch.setattr(facts_module, "_credit_subquery", None)
        small, _unknown, _big = firms
        with pytest.raises(RuleError) as error:
            validate_rule({"all": [cond("credit_blocked", "is", False)]})
        assert error.value.code == "rule_fact_unavailable"
        catalogue = {f["name"]: f for f in rules.fact_catalogue()}
        assert catalogue["credit_blocked"]["available"] is False

    def test_without_the_credit_module_a_stored_credit_condition_explains_as_unknown_and_matches_nothing(
            self, firms, monkeypatch):
        small, _unknown, _big = firms
        fake_rule = {"all": [cond("credit_blocked", "is", False)]}
        monkeypatch.setattr(facts_module, "_credit_subquery", lambda *, action, on: Enterprise.objects.none()
                            .values("uscc"))
        tree = rules.parse_rule(fake_rule)  # stored while the module was there
        monkeypatch.setattr(facts_module, "_credit_subquery", None)
        explanation = explain(tree, small, on=ON)
        assert explanation.conditions[0].outcome == UNKNOWN
        assert "credit module" in explanation.conditions[0].note
        assert not matching_enterprises(tree, on=ON).exists()

    def test_a_firm_on_the_dishonest_debtor_list_fails_the_credit_condition_and_is_not_selected(self, firms):
        from shuangchuang.core.tests.factories import SYSTEM
        from shuangchuang.credit.models import CreditList
        from shuangchuang.credit.services import entry_create

        small, unknown, big = firms
        entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="dishonest-debtor"), name=big.name,
                     uscc=big.uscc, reason="有履行能力而拒不履行生效法律文书确定义务", listed_on="2025-03-01")
        rule = validate_rule({"all": [cond("credit_blocked", "is", False, action="special_fund")]})
        assert explain(rule, big, on=ON).outcome == FAIL
        assert explain(rule, small, on=ON).passed
        assert explain(rule, big, on=datetime.date(2025, 2, 28)).passed  # before the listing
        assert set(matching_enterprises(rule, on=ON)) == {small, unknown}
        voucher_rule = validate_rule({"all": [cond("credit_blocked", "is", False, action="voucher")]})
        assert explain(voucher_rule, big, on=ON).passed  # the list does not restrict vouchers

    def test_with_the_credit_module_a_listed_enterprise_fails_and_is_not_selected(self, firms, monkeypatch):
        small, unknown, big = firms
        calls = []

        def blocked(*, action, on):
            calls.append((action, on))
            return Enterprise.objects.filter(pk=big.pk).values("uscc")

        monkeypatch.setattr(facts_module, "_credit_subquery", blocked)
        rule = validate_rule({"all": [cond("credit_blocked", "is", False, action="procurement")]})
        assert explain(rule, big, on=ON).outcome == FAIL
        assert explain(rule, small, on=ON).passed
        assert set(matching_enterprises(rule, on=ON)) == {small, unknown}
        assert ("procurement", ON) in calls
