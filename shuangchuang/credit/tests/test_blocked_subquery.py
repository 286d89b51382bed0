"""blocked_uscc_subquery: the registered enterprises a list restricts from an action on a day, as one subquery that
rules (the policies module's credit fact) use to select enterprises in the database. It must agree with screening."""

import datetime

import pytest

from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.credit.selectors import blocked_uscc_subquery
from shuangchuang.credit.services import entry_remove, restriction_create
from shuangchuang.credit.tests.conftest import add_entry, register
from shuangchuang.registry.models import Enterprise

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 28)


def blocked(action="special_fund", on=ON) -> set[str]:
    return set(Enterprise.objects.filter(uscc__in=blocked_uscc_subquery(action=action, on=on))
               .values_list("name", flat=True))


@pytest.fixture
def firms():
    return register("深圳市甲科技有限公司", 1), register("深圳市乙科技有限公司", 2)


class TestBlockedUsccSubquery:
    def test_an_entry_with_the_usccs_of_a_firm_blocks_the_actions_its_list_restricts(self, firms, dishonest):
        first, _second = firms
        add_entry(dishonest, name=first.name, uscc=first.uscc)
        assert blocked("special_fund") == {first.name}
        assert blocked("procurement") == {first.name}
        assert blocked("voucher") == set()  # the dishonest-debtor list does not restrict vouchers

    def test_it_agrees_with_screening_on_the_same_firm_and_day(self, firms, dishonest):
        from shuangchuang.credit.matching import Party
        from shuangchuang.credit.services import screening_run

        first, second = firms
        add_entry(dishonest, name=first.name, uscc=first.uscc)
        for firm in firms:
            result = screening_run(actor=SYSTEM, party=Party(uscc=firm.uscc), action="special_fund", on=ON)
            assert result.blocked == (firm.name in blocked())
        assert second.name not in blocked()

    def test_an_entry_linked_to_a_firm_blocks_it_without_a_uscc(self, firms, dishonest):
        first, _second = firms
        entry = add_entry(dishonest, name=first.name)
        assert blocked() == set()
        entry.enterprise = first
        entry.save(update_fields=["enterprise"])
        assert blocked() == {first.name}

    def test_only_entries_in_force_on_the_day_count(self, firms, dishonest):
        first, _second = firms
        entry = add_entry(dishonest, name=first.name, uscc=first.uscc, listed_on="2025-03-01")
        assert blocked(on=datetime.date(2025, 2, 28)) == set()
        assert blocked(on=datetime.date(2025, 3, 1)) == {first.name}
        entry_remove(actor=SYSTEM, entry=entry, reason="已履行完毕", on=datetime.date(2026, 6, 1))
        assert blocked(on=datetime.date(2026, 5, 31)) == {first.name}
        assert blocked(on=datetime.date(2026, 6, 1)) == set()

    def test_a_restriction_counts_only_between_its_first_and_last_day(self, firms, dishonest):
        first, _second = firms
        add_entry(dishonest, name=first.name, uscc=first.uscc, listed_on="2025-03-01")
        restriction_create(actor=SYSTEM, credit_list=dishonest, action="voucher", valid_from=datetime.date(2027, 1, 1),
                           valid_to=datetime.date(2027, 12, 31), legal_basis="深科技创新〔2027〕1号")
        assert blocked("voucher", on=datetime.date(2026, 12, 31)) == set()
        assert blocked("voucher", on=datetime.date(2027, 1, 1)) == {first.name}
        assert blocked("voucher", on=datetime.date(2028, 1, 1)) == set()

    def test_a_restriction_for_months_from_listing_ends_on_the_same_day_as_in_screening(self, firms, abnormal):
        from shuangchuang.credit.matching import Party
        from shuangchuang.credit.services import screening_run

        first, _second = firms
        add_entry(abnormal, name=first.name, uscc=first.uscc, listed_on="2024-02-29", reason="通过登记的住所无法联系")
        restriction_create(actor=SYSTEM, credit_list=abnormal, action="market_access", valid_from=datetime.date(2020, 1, 1),
                           duration_months=12, legal_basis="测试依据")
        for day, expected in [(datetime.date(2025, 2, 27), True), (datetime.date(2025, 2, 28), False)]:
            screened = screening_run(actor=SYSTEM, party=Party(uscc=first.uscc), action="market_access", on=day).blocked
            assert screened is expected
            assert (first.name in blocked("market_access", on=day)) is expected

    def test_a_restriction_of_the_legal_representative_does_not_block_the_firm(self, firms, serious):
        first, _second = firms
        add_entry(serious, name=first.name, uscc=first.uscc, reason="列入经营异常名录满三年仍未履行相关义务")
        assert first.name not in blocked("legal_representative")


class TestBlockedActions:
    def test_the_actions_of_one_firm_agree_with_the_subquery(self, firms, dishonest, abnormal):
        from shuangchuang.credit.models import Action
        from shuangchuang.credit.selectors import blocked_actions

        first, second = firms
        add_entry(dishonest, name=first.name, uscc=first.uscc)
        add_entry(abnormal, name=second.name, uscc=second.uscc, reason="通过登记的住所无法联系")
        for firm in firms:
            expected = {action for action in Action.values if firm.name in blocked(action)}
            assert blocked_actions(enterprise=firm, on=ON) == expected
        assert "special_fund" in blocked_actions(enterprise=first, on=ON)
        assert "special_fund" not in blocked_actions(enterprise=second, on=ON)
        assert blocked_actions(enterprise=first, on=datetime.date(2025, 2, 28)) == set()
