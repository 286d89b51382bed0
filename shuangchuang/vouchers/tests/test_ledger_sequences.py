"""Random sequences of money steps (request, reject, pay, cancel, settle, refund, expire) keep the ledger whole:
every journal sums to zero, balance rows equal their entries, nothing is negative, the money of a scheme year is
all somewhere (budget + vouchers + pending + payable + disbursed = appropriated), and no contract pays more than its
share."""

import datetime
import random

import pytest
from django.db.models import Sum

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.vouchers.models import Account, Contract, Redemption, Voucher
from shuangchuang.vouchers.services import (
    ledger_verify,
    redemption_request,
    redemption_transition,
    settlement_run,
    vouchers_expire,
)
from shuangchuang.vouchers.tests.conftest import TODAY, issued, proofs, registered, signed


def _whole() -> None:
    assert ledger_verify() == []
    appropriated = -Account.objects.get(kind="appropriation").balance_fen
    held = Account.objects.exclude(kind="appropriation").aggregate(t=Sum("balance_fen"))["t"]
    assert held == appropriated
    for contract in Contract.objects.all():
        assert 0 <= contract.committed_fen <= contract.max_voucher_fen


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_money_steps_keep_the_ledger_whole(seed, scheme, small, medium, provider, officer):
    rng = random.Random(seed)
    registered(provider, scheme, officer)
    contracts = [signed(holder, provider, issued(holder, scheme, officer, amount_fen=3_000_000), amount_fen=4_000_000)
                 for holder in (small, medium)]
    day = TODAY
    for step in range(60):
        action = rng.choice(["request"] * 3 + ["advance"] * 5 + ["reject", "cancel", "settle", "refund", "expire"])
        try:
            if action == "request":
                redemption_request(actor=provider.actor, contract=rng.choice(contracts), idempotency_key=f"{seed}-{step}",
                                   holder_paid_fen=4_000_000, service_done_on=TODAY, documents=proofs(),
                                   amount_fen=rng.choice([None, 300_000, 700_000]))
            elif action == "advance":
                redemption = rng.choice(list(Redemption.objects.filter(
                    state__in=["requested", "audited", "publicised"]).order_by("pk")) or [None])
                if redemption is not None:
                    step_name = {"requested": "audit", "audited": "publicise", "publicised": "pay"}[redemption.state]
                    redemption_transition(actor=officer, redemption=redemption, transition=step_name, note="ok")
            elif action in ("reject", "cancel", "refund"):
                state = {"reject": "requested", "cancel": "paid", "refund": "settled"}[action]
                redemption = rng.choice(list(Redemption.objects.filter(state=state).order_by("pk")) or [None])
                if redemption is not None:
                    redemption_transition(actor=officer, redemption=redemption, transition=action, note="更正")
            elif action == "settle":
                day += datetime.timedelta(days=3)
                settlement_run(actor=SYSTEM, on=day)
            elif action == "expire" and rng.random() < 0.15:
                Voucher.objects.filter(pk=rng.choice(contracts).voucher_id).update(
                    valid_until=TODAY - datetime.timedelta(days=1))
                vouchers_expire(actor=SYSTEM)
        except ServiceError:
            pass  # a refused step (nothing left, voucher expired, batch settled) must leave the ledger whole too
        _whole()
