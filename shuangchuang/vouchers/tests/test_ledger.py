"""The ledger itself: double entry, balances derived from entries, one movement per key, reversals not edits,
budgets only through appropriation."""

import pytest
from django.db import transaction

from shuangchuang.core.errors import Conflict, NotAllowed
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.vouchers.models import Account, Journal, LedgerEntry, SchemeYear
from shuangchuang.vouchers.services import derived_balance, ledger_verify, scheme_budget_add
from shuangchuang.vouchers.services.ledger import account_for, reverse, transfer
from shuangchuang.vouchers.tests.conftest import TODAY


@pytest.fixture
def year(scheme):
    return SchemeYear.objects.get(scheme=scheme, year=TODAY.year)


def test_every_journal_has_two_entries_that_sum_to_zero(scheme, year):
    journal = Journal.objects.get(kind="appropriate")
    assert sorted(journal.entries.values_list("amount_fen", flat=True)) == [-100_000_000, 100_000_000]
    assert ledger_verify() == []


def test_a_balance_is_the_sum_of_the_accounts_entries(scheme, year):
    budget = account_for(year, "budget")
    assert derived_balance(budget.pk) == budget.balance_fen == 100_000_000


def test_adding_to_the_budget_twice_appropriates_twice(scheme, year, officer):
    scheme_budget_add(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=5_000)
    year.refresh_from_db()
    assert year.budget_fen == 100_005_000 and account_for(year, "budget").balance_fen == 100_005_000
    assert account_for(year, "appropriation").balance_fen == -100_005_000


def test_only_the_owning_department_adds_to_the_budget(scheme, other_officer):
    with pytest.raises(NotAllowed):
        scheme_budget_add(actor=other_officer, scheme=scheme, year=TODAY.year, amount_fen=5_000)
    assert Journal.objects.count() == 1


def test_a_movement_with_a_used_key_is_refused_and_nothing_changes(scheme, year):
    budget, disbursed = account_for(year, "budget"), account_for(year, "disbursed")
    with transaction.atomic():
        transfer(actor=SYSTEM, kind="settle", key="k-1", scheme_year=year, source=budget, target=disbursed,
                 amount_fen=10)
    with pytest.raises(Conflict) as exc, transaction.atomic():
        transfer(actor=SYSTEM, kind="settle", key="k-1", scheme_year=year, source=budget, target=disbursed,
                 amount_fen=10)
    assert exc.value.code == "already_moved"
    assert Account.objects.get(pk=disbursed.pk).balance_fen == 10
    assert ledger_verify() == []


def test_a_source_without_the_money_is_refused(scheme, year):
    budget, disbursed = account_for(year, "budget"), account_for(year, "disbursed")
    with pytest.raises(Conflict) as exc, transaction.atomic():
        transfer(actor=SYSTEM, kind="settle", key="k-2", scheme_year=year, source=disbursed, target=budget,
                 amount_fen=1)
    assert exc.value.code == "insufficient_balance"


def test_a_reversal_is_a_new_mirror_journal_and_can_happen_only_once(scheme, year):
    budget, disbursed = account_for(year, "budget"), account_for(year, "disbursed")
    with transaction.atomic():
        original = transfer(actor=SYSTEM, kind="settle", key="k-3", scheme_year=year, source=budget, target=disbursed,
                            amount_fen=700)
        undo = reverse(actor=SYSTEM, kind="refund", journal=original, key="undo-k-3")
    assert undo.reverses == original and original.entries.count() == 2
    assert Account.objects.get(pk=disbursed.pk).balance_fen == 0
    with pytest.raises(Exception), transaction.atomic():
        reverse(actor=SYSTEM, kind="refund", journal=original, key="undo-again")
    assert LedgerEntry.objects.count() == 6 and ledger_verify() == []
