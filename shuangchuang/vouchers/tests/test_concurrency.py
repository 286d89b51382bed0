"""Concurrency on PostgreSQL (skipped on SQLite, which serialises writers anyway): simultaneous redemption requests
on separate connections never spend a balance twice, and one idempotency key moves money once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from shuangchuang.core.audit import audit_verify
from shuangchuang.core.errors import Conflict
from shuangchuang.vouchers.models import Account, Journal, Redemption
from shuangchuang.vouchers.services import ledger_verify, redemption_request
from shuangchuang.vouchers.tests.conftest import TODAY, issued, proofs, registered, signed

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")

REQUESTS = 200
CLIENTS = 20  # connections at once (PostgreSQL allows 100, shared with other test runs)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test starts from (and leaves) flushed tables: load what the migrations load."""
    from shuangchuang.core.reference import load_departments
    from shuangchuang.credit.reference import load_lists
    from shuangchuang.registry.reference import load_reference_data, reference_cache_clear

    load_departments()
    load_reference_data()
    load_lists()
    reference_cache_clear()
    yield


def _hammer(provider, contracts, keys):
    barrier = threading.Barrier(CLIENTS)
    outcomes = []
    lock = threading.Lock()

    def one(index):
        if index < CLIENTS:
            barrier.wait()
        try:
            contract = contracts[index % len(contracts)]
            result = redemption_request(actor=provider.actor, contract=contract, idempotency_key=keys(index),
                                        holder_paid_fen=contract.amount_fen, service_done_on=TODAY,
                                        documents=proofs(), amount_fen=1_000_000)
            outcome = ("ok", result.pk)
        except Conflict as exc:
            outcome = ("refused", exc.code)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(one, range(REQUESTS)))
    return outcomes


@pytest.fixture
def two_contracts(transactional_db, scheme, small, medium, provider, officer):
    registered(provider, scheme, officer)
    contracts = []
    for holder in (small, medium):
        voucher = issued(holder, scheme, officer, amount_fen=5_000_000)  # five redemptions of 10,000 yuan each
        contracts.append(signed(holder, provider, voucher, amount_fen=10_000_000))
    return contracts


def test_of_200_simultaneous_requests_exactly_the_ten_the_balances_cover_succeed(two_contracts, provider):
    outcomes = _hammer(provider, two_contracts, keys=lambda i: f"req-{i}")
    succeeded = [o for o in outcomes if o[0] == "ok"]
    assert len(outcomes) == REQUESTS and len(succeeded) == 10
    assert {o[1] for o in outcomes if o[0] == "refused"} <= {"nothing_to_redeem", "over_limit"}
    assert Redemption.objects.count() == 10 and Journal.objects.filter(kind="redeem_request").count() == 10
    assert not Account.objects.filter(balance_fen__lt=0).exclude(kind="appropriation").exists()
    assert sum(Account.objects.filter(kind="voucher").values_list("balance_fen", flat=True)) == 0
    assert sum(Account.objects.filter(kind="pending").values_list("balance_fen", flat=True)) == 10_000_000
    assert ledger_verify() == []
    assert audit_verify().ok


def test_one_idempotency_key_sent_by_many_clients_at_once_moves_money_once(two_contracts, provider):
    outcomes = _hammer(provider, two_contracts[:1], keys=lambda i: "same-key")
    assert {o[0] for o in outcomes} == {"ok"} and len({o[1] for o in outcomes}) == 1
    assert Journal.objects.filter(kind="redeem_request").count() == 1
    assert ledger_verify() == []
