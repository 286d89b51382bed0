"""Calculators against worked examples derived from the rules (POLICY-FACTS §9 rate table, §10 the 70 % credit)."""

import datetime

import pytest

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.calculators import Investment, InvesteeStatus, rd_super_deduction, vc_tax_credit

YUAN = 100


def rd(**kwargs):
    arguments = {"firm_type": "general", "industry_division": "39", "capitalised_fen": 0}
    arguments.update(kwargs)
    return rd_super_deduction(**arguments)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestRdSuperDeduction:
    def test_2023_any_firm_deducts_100_percent_and_amortises_200_percent(self):
        # 2023年第7号: 1,000,000 expensed × 100 % = 1,000,000; 500,000 capitalised × 200 % = 1,000,000.
        result = rd(tax_year=2023, expensed_fen=1_000_000 * YUAN, capitalised_fen=500_000 * YUAN)
        assert result.extra_deduction_fen == 1_000_000 * YUAN
        assert result.amortisation_base_fen == 1_000_000 * YUAN
        assert any("2023年第7号" in source for source in result.sources)

    def test_2017_general_firm_gets_50_percent_and_a_tech_sme_75_percent(self):
        # 财税〔2015〕119号 50 %; 财税〔2017〕34号 75 % for tech-SMEs.
        assert rd(tax_year=2017, expensed_fen=800_000 * YUAN).extra_deduction_fen == 400_000 * YUAN
        tech = rd(tax_year=2017, firm_type="tech_sme", expensed_fen=800_000 * YUAN, capitalised_fen=200_000 * YUAN)
        assert tech.extra_deduction_fen == 600_000 * YUAN
        assert tech.amortisation_base_fen == 350_000 * YUAN

    def test_a_tech_sme_in_2021_falls_back_to_the_general_75_percent(self):
        assert rd(tax_year=2021, firm_type="tech_sme", expensed_fen=100 * YUAN).extra_deduction_fen == 75 * YUAN

    def test_a_manufacturer_in_2022_has_one_rate_all_year(self):
        result = rd(tax_year=2022, firm_type="manufacturing", expensed_fen=1_000_000 * YUAN)
        assert [s.rate for s in result.segments] == [1]
        assert result.extra_deduction_fen == 1_000_000 * YUAN

    def test_a_general_firm_in_2022_splits_at_the_october_rate_change(self):
        # 75 % to 30 September (财税〔2018〕99号), 100 % from 1 October (2022年第28号):
        # 900,000 × 75 % + 300,000 × 100 % = 975,000.
        with pytest.raises(ServiceError) as error:
            rd(tax_year=2022, firm_type="general", expensed_fen=1_200_000 * YUAN)
        assert error.value.code == "rate_changed_in_year"
        assert "2022-10-01" in error.value.message
        result = rd(tax_year=2022, expensed_fen=1_200_000 * YUAN, expensed_later_fen=300_000 * YUAN)
        assert result.extra_deduction_fen == 975_000 * YUAN
        assert [(s.start, s.rate) for s in result.segments] == [
            (datetime.date(2022, 1, 1), pytest.approx(0.75)), (datetime.date(2022, 10, 1), 1)]

    def test_the_recalled_q4_2022_amortisation_multiplier_is_not_set_so_capitalised_r_and_d_is_refused(self):
        with pytest.raises(ServiceError) as error:
            rd(tax_year=2022, expensed_fen=0, expensed_later_fen=0, capitalised_fen=100 * YUAN)
        assert error.value.code == "parameter_not_set"
        assert "国家税务局" in error.value.message

    def test_a_wholesaler_is_on_the_negative_list(self):
        result = rd(tax_year=2020, industry_division="51", expensed_fen=500_000 * YUAN)
        assert not result.eligible and result.extra_deduction_fen == 0
        assert "119号" in result.sources[0]

    def test_before_2016_only_listed_fields_count(self):
        result = rd(tax_year=2015, industry_division="51", expensed_fen=100 * YUAN)
        assert result.eligible and result.extra_deduction_fen == 50 * YUAN
        assert "listed fields" in result.steps[0]

    def test_integrated_circuit_rate_must_be_set_by_an_officer_first(self):
        with pytest.raises(ServiceError) as error:
            rd(tax_year=2024, firm_type="ic_machine_tool", expensed_fen=100 * YUAN)
        assert error.value.code == "parameter_not_set"

    @pytest.mark.parametrize("year", [2007, 2027])
    def test_a_year_outside_the_table_is_refused(self, year):
        with pytest.raises(ServiceError) as error:
            rd(tax_year=year, expensed_fen=100)
        assert error.value.code == "year_outside_table"
        assert "between 2008 and 2026" in error.value.message

    def test_a_negative_amount_is_refused(self):
        with pytest.raises(ServiceError) as error:
            rd(tax_year=2023, expensed_fen=-1)
        assert (error.value.code, error.value.field) == ("negative_amount", "expensed_fen")


def status(**kwargs):
    values = {"listed": False, "high_tech": True, "employees": 300, "annual_sales_fen": 100_000_000 * YUAN,
              "total_assets_fen": 150_000_000 * YUAN}
    values.update(kwargs)
    return InvesteeStatus(**values)


def investment(**kwargs):
    values = {"invested_on": datetime.date(2021, 3, 15), "amount_fen": 10_000_000 * YUAN, "investee": "甲公司",
              "at_investment": status(), "at_24_months": status()}
    values.update(kwargs)
    return Investment(**values)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestVentureCapitalCredit:
    def test_credit_becomes_available_after_24_months_and_carries_forward(self):
        # 10,000,000 × 70 % = 7,000,000 available in 2023 (2021-03-15 + 24 months);
        # 2023: 5,000,000 used, 2,000,000 carried; 2024: 1,000,000 used, 1,000,000 carried; 2025: 1,000,000 used.
        result = vc_tax_credit(investments=[investment()], taxable_income={
            2022: 8_000_000 * YUAN, 2023: 5_000_000 * YUAN, 2024: 1_000_000 * YUAN, 2025: 3_000_000 * YUAN})
        (credit,) = result.investments
        assert credit.available_on == datetime.date(2023, 3, 15)
        assert credit.credit_fen == 7_000_000 * YUAN
        rows = {y.year: (y.used_fen, y.carry_forward_fen) for y in result.years}
        assert rows == {2022: (0, 0), 2023: (5_000_000 * YUAN, 2_000_000 * YUAN),
                        2024: (1_000_000 * YUAN, 1_000_000 * YUAN), 2025: (1_000_000 * YUAN, 0)}
        assert any("第三十一条" in s for s in result.sources)

    def test_a_loss_year_uses_no_credit(self):
        result = vc_tax_credit(investments=[investment()], taxable_income={2023: -2_000_000 * YUAN})
        assert result.years[-1].used_fen == 0 and result.years[-1].carry_forward_fen == 7_000_000 * YUAN

    def test_an_investee_listed_at_24_months_gives_no_credit_with_the_reason(self):
        result = vc_tax_credit(investments=[investment(at_24_months=status(listed=True))],
                               taxable_income={2023: 100})
        assert result.investments[0].credit_fen == 0
        assert "listed when the holding reached 24 months" in result.investments[0].reasons[0]

    def test_an_investee_above_the_sme_size_limits_gives_no_credit(self):
        result = vc_tax_credit(investments=[investment(at_investment=status(employees=501))],
                               taxable_income={2023: 100})
        assert result.investments[0].reasons == ["The investee's employees were above 500 at the investment."]

    def test_a_holding_under_24_months_is_refused(self):
        with pytest.raises(ServiceError) as error:
            vc_tax_credit(investments=[investment(disposed_on=datetime.date(2023, 3, 14))],
                          taxable_income={2023: 100})
        assert error.value.code == "holding_too_short"

    def test_a_negative_investment_is_refused(self):
        with pytest.raises(ServiceError) as error:
            vc_tax_credit(investments=[investment(amount_fen=-5)], taxable_income={2023: 100})
        assert error.value.field == "investments[0].amount_fen"

    def test_an_investment_before_the_rule_existed_is_outside_the_table(self):
        with pytest.raises(ServiceError) as error:
            vc_tax_credit(investments=[investment(invested_on=datetime.date(2007, 6, 1))], taxable_income={2010: 1})
        assert error.value.code == "outside_table"
