"""Contracts and redemption: registered providers only, related parties refused, the 50 % share, idempotent
requests, audit → publicity → pay with screening, settlement after the delay window, cancellation and refunds as
reversing movements, and the support ledger."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.registry.models import Enterprise
from shuangchuang.core.models import AuditEvent
from shuangchuang.vouchers.models import (
    Account,
    Contract,
    Document,
    Journal,
    LedgerEntry,
    Redemption,
    SettlementBatch,
    Step,
)
from shuangchuang.vouchers.services import (
    contract_propose,
    ledger_verify,
    redemption_request,
    redemption_transition,
    settlement_run,
    tie_record,
    voucher_balance_fen,
)
from shuangchuang.vouchers.tests.conftest import (
    TODAY,
    issued,
    pdf,
    proofs,
    registered,
    signed,
)
from shuangchuang.vouchers.tests.test_applications import restrict_vouchers


@pytest.fixture
def voucher(scheme, small, provider, officer):
    registered(provider, scheme, officer)
    return issued(small, scheme, officer, amount_fen=5_000_000)


def request(provider, contract, key="r-1", **kw):
    kw.setdefault("holder_paid_fen", contract.amount_fen)  # enough for any split of the fee
    return redemption_request(actor=provider.actor, contract=contract, idempotency_key=key, service_done_on=TODAY,
                              documents=proofs(), **kw)


def paid(officer, redemption):
    redemption_transition(actor=officer, redemption=redemption, transition="audit", note="审计无异议")
    redemption_transition(actor=officer, redemption=redemption, transition="publicise")
    return redemption_transition(actor=officer, redemption=redemption, transition="pay")


class TestContracts:
    def test_a_provider_not_registered_for_the_category_cannot_contract(self, voucher, provider):
        with pytest.raises(Conflict) as exc:
            contract_propose(actor=provider.actor, voucher_code=voucher.code, category="ip", number="HT-1",
                             title="专利", amount_fen=1_000_000, signed_on=TODAY, documents={"contract": [pdf()]})
        assert exc.value.code == "provider_not_registered" and str(TODAY.year) in exc.value.message

    def test_a_contract_needs_the_signed_contract_attached(self, voucher, provider):
        with pytest.raises(ServiceError) as exc:
            contract_propose(actor=provider.actor, voucher_code=voucher.code, category="testing", number="HT-1",
                             title="检测", amount_fen=1_000_000, signed_on=TODAY)
        assert exc.value.code == "document_required"
        assert not Contract.objects.exists()

    def test_a_branch_of_the_holder_is_a_related_party(self, voucher, small, provider):
        Enterprise.objects.filter(pk=provider.enterprise.pk).update(parent=small.enterprise)
        with pytest.raises(Conflict) as exc:
            signed(small, provider, voucher)
        assert exc.value.code == "related_parties" and "branch" in exc.value.message

    def test_a_shared_legal_representative_makes_related_parties(self, voucher, small, provider):
        Enterprise.objects.filter(pk=provider.enterprise.pk).update(
            legal_representative=small.enterprise.legal_representative)
        with pytest.raises(Conflict) as exc:
            signed(small, provider, voucher)
        assert "same legal representative" in exc.value.message

    def test_an_investment_tie_recorded_by_the_department_is_refused(self, voucher, small, provider, officer, scheme):
        tie_record(actor=officer, scheme=scheme, party_a=provider.org.code, party_b=small.org.code, kind="investment",
                   note="乙方持股30%")
        with pytest.raises(Conflict) as exc:
            signed(small, provider, voucher)
        assert "Investment" in exc.value.message

    @pytest.mark.parametrize("holder_invests", [True, False])
    def test_an_investment_recorded_at_registration_makes_related_parties(self, voucher, small, provider,
                                                                           holder_invests):
        from shuangchuang.names.services.protection import investment_relation_record

        investor, investee = ((small.enterprise, provider.enterprise) if holder_invests
                              else (provider.enterprise, small.enterprise))
        investment_relation_record(actor=SYSTEM, investor=investor, investee=investee, source="设立登记股东")
        with pytest.raises(Conflict) as exc:
            signed(small, provider, voucher)
        assert exc.value.code == "related_parties" and "holds shares" in exc.value.message
        assert not Contract.objects.exists()

    def test_an_investment_between_third_parties_does_not_relate_holder_and_provider(self, voucher, small, provider,
                                                                                      medium):
        from shuangchuang.names.services.protection import investment_relation_record

        investment_relation_record(actor=SYSTEM, investor=medium.enterprise, investee=provider.enterprise)
        assert signed(small, provider, voucher).state == "signed"

    def test_the_voucher_may_pay_at_most_half_of_the_contract(self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=3_000_001)
        assert (contract.state, contract.max_voucher_fen) == ("signed", 1_500_000)

    def test_only_the_holder_confirms_a_contract(self, voucher, small, provider, medium):
        contract = contract_propose(actor=provider.actor, voucher_code=voucher.code, category="testing", number="HT",
                                    title="检测", amount_fen=1_000_000, signed_on=TODAY,
                                    documents={"contract": [pdf()]})
        from shuangchuang.vouchers.services import contract_decide

        with pytest.raises(NotAllowed):
            contract_decide(actor=medium.actor, contract=contract, accept=True)
        assert Contract.objects.get().state == "proposed"


class TestRedemption:
    def test_the_amount_is_the_lesser_of_the_balance_and_half_the_contract(self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=8_000_000)
        redemption = request(provider, contract)
        assert redemption.amount_fen == 4_000_000
        assert voucher_balance_fen(voucher) == 1_000_000
        big = signed(small, provider, voucher, amount_fen=10_000_000)
        assert request(provider, big, key="r-2").amount_fen == 1_000_000
        assert voucher_balance_fen(voucher) == 0
        with pytest.raises(Conflict) as exc:
            request(provider, big, key="r-3")
        assert exc.value.code == "nothing_to_redeem"
        assert ledger_verify() == []

    def test_the_same_idempotency_key_returns_the_first_request_and_moves_nothing(self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        first = request(provider, contract)
        journals = Journal.objects.count()
        again = request(provider, contract)
        assert again.pk == first.pk and Journal.objects.count() == journals
        assert voucher_balance_fen(voucher) == 4_000_000

    def test_a_repeated_key_with_money_still_left_returns_the_first_request_and_stores_nothing_more(
            self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=8_000_000)  # the voucher could pay 4 000 000
        first = request(provider, contract, amount_fen=100)
        counts = (Journal.objects.count(), LedgerEntry.objects.count(), Document.objects.count(),
                  Step.objects.count(), AuditEvent.objects.count())
        again = request(provider, contract, amount_fen=100)
        assert again.pk == first.pk and again.amount_fen == 100
        assert (Journal.objects.count(), LedgerEntry.objects.count(), Document.objects.count(),
                Step.objects.count(), AuditEvent.objects.count()) == counts
        assert voucher_balance_fen(voucher) == 5_000_000 - 100 and Contract.objects.get().committed_fen == 100
        with pytest.raises(Conflict) as exc:  # the key names the first contract's request
            request(provider, signed(small, provider, voucher, amount_fen=1_000), amount_fen=100)
        assert exc.value.code == "idempotency_key_reused"
        assert ledger_verify() == []

    def test_the_holder_must_have_paid_the_rest_of_the_fee_or_the_request_is_refused_with_the_reason(
            self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=8_000_000)  # the voucher pays 4 000 000
        with pytest.raises(ServiceError) as exc:
            request(provider, contract, holder_paid_fen=3_999_999)
        assert exc.value.code == "holder_payment_short" and exc.value.field == "holder_paid_fen"
        assert "at least 4000000 fen" in exc.value.message
        assert not Redemption.objects.exists() and not Journal.objects.filter(kind="redeem_request").exists()
        assert voucher_balance_fen(voucher) == 5_000_000 and Contract.objects.get().committed_fen == 0
        assert request(provider, contract, holder_paid_fen=4_000_000).amount_fen == 4_000_000

    def test_a_smaller_redemption_asks_the_holder_for_more_of_the_fee(self, voucher, small, provider):
        contract = signed(small, provider, voucher, amount_fen=8_000_000)
        with pytest.raises(ServiceError) as exc:
            request(provider, contract, amount_fen=1_000_000, holder_paid_fen=4_000_000)
        assert "at least 7000000 fen" in exc.value.message
        first = request(provider, contract, amount_fen=1_000_000, holder_paid_fen=7_000_000)
        # the second request on the contract counts what the voucher already pays
        second = request(provider, contract, key="r-2", amount_fen=3_000_000, holder_paid_fen=4_000_000)
        assert (first.amount_fen, second.amount_fen) == (1_000_000, 3_000_000)

    def test_the_api_refuses_a_short_holder_payment_with_400_and_the_reason(self, client, voucher, small, provider):
        from shuangchuang.vouchers.tests.conftest import pdf as a_pdf
        from shuangchuang.vouchers.tests.test_api import token

        contract = signed(small, provider, voucher, amount_fen=8_000_000)
        response = client.post("/api/v1/vouchers/redemptions", {
            "contract": contract.pk, "idempotency_key": "short", "holder_paid_fen": 1,
            "service_done_on": TODAY.isoformat(), "holder_payment": a_pdf(), "service": a_pdf()},
            **token(provider.actor))
        assert response.status_code == 400 and response.json()["error"]["code"] == "holder_payment_short"
        assert not Redemption.objects.exists()

    def test_a_redemption_request_costs_a_fixed_small_number_of_statements(self, voucher, small, provider):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        signed(small, provider, voucher, amount_fen=8_000_000)
        contract = Contract.objects.select_related(
            "voucher__scheme_year", "voucher__application__scheme__department").get()
        actor = provider.actor
        with CaptureQueriesContext(connection) as queries:
            redemption_request(actor=actor, contract=contract, idempotency_key="q-1", holder_paid_fen=8_000_000,
                               service_done_on=TODAY, documents=proofs(), amount_fen=100)
        statements = [q["sql"] for q in queries.captured_queries
                      if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
        # locked contract row, locked accounts, redemption, documents, journal, entries, balances, committed
        # amount, step, audit (PostgreSQL: one statement; SQLite: head, event, head); BEGIN / COMMIT not captured
        assert len(statements) == (10 if connection.vendor == "postgresql" else 12), "\n".join(statements)
        assert ledger_verify() == []

    def test_proofs_of_the_holders_payment_and_of_the_service_are_required(self, voucher, small, provider):
        contract = signed(small, provider, voucher)
        with pytest.raises(ServiceError) as exc:
            redemption_request(actor=provider.actor, contract=contract, idempotency_key="k", holder_paid_fen=1,
                               service_done_on=TODAY, documents={"service": [pdf()]})
        assert exc.value.field == "holder_payment"
        assert not Redemption.objects.exists() and voucher_balance_fen(voucher) == 5_000_000

    def test_a_file_that_is_not_a_document_is_refused(self, voucher, small, provider):
        from django.core.files.uploadedfile import SimpleUploadedFile

        contract = signed(small, provider, voucher)
        with pytest.raises(ServiceError) as exc:
            redemption_request(actor=provider.actor, contract=contract, idempotency_key="k", holder_paid_fen=1,
                               service_done_on=TODAY, documents={
                                   "holder_payment": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x03binary")],
                                   "service": [pdf()]})
        assert exc.value.code == "wrong_type"

    def test_paying_moves_the_money_to_the_provider_payable_in_a_batch(self, voucher, small, provider, officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = paid(officer, request(provider, contract))
        assert redemption.state == "paid" and redemption.batch.executes_on == TODAY + datetime.timedelta(days=3)
        assert Account.objects.get(kind="payable", provider=provider.org).balance_fen == 1_000_000
        assert ledger_verify() == []

    def test_a_payment_and_its_cancellation_are_rows_of_the_support_ledger(self, voucher, small, provider, officer):
        from shuangchuang.programmes.models import SupportLedgerEntry

        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = paid(officer, request(provider, contract))
        row = SupportLedgerEntry.objects.get(pk=redemption.support_entry_id)
        assert (row.enterprise_id, row.amount_fen, row.kind, row.source_kind) == (small.enterprise.pk, 1_000_000,
                                                                                  "paid", "voucher")
        redemption_transition(actor=officer, redemption=redemption, transition="cancel", note="重复支付")
        reversal = SupportLedgerEntry.objects.get(reverses=row)
        assert reversal.amount_fen == -1_000_000

    def test_payment_is_refused_when_the_provider_is_listed_by_then(self, voucher, small, provider, officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = request(provider, contract)
        redemption_transition(actor=officer, redemption=redemption, transition="audit", note="ok")
        redemption_transition(actor=officer, redemption=redemption, transition="publicise")
        restrict_vouchers(provider.enterprise)
        with pytest.raises(Conflict) as exc:
            redemption_transition(actor=officer, redemption=redemption, transition="pay")
        redemption.refresh_from_db()
        assert exc.value.code == "screening_blocked"
        assert redemption.state == "publicised" and redemption.screening_evidence
        assert not Account.objects.filter(kind="payable").exists() or \
            Account.objects.get(kind="payable").balance_fen == 0

    def test_a_rejected_request_returns_the_money_to_the_voucher_by_a_reversing_entry(self, voucher, small, provider,
                                                                                       officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = request(provider, contract)
        redemption_transition(actor=officer, redemption=redemption, transition="reject", note="服务证明不符")
        assert voucher_balance_fen(voucher) == 5_000_000
        reversal = Journal.objects.get(kind="redeem_reject")
        assert reversal.reverses.kind == "redeem_request"
        assert Contract.objects.get(pk=contract.pk).committed_fen == 0
        assert LedgerEntry.objects.filter(journal__redemption=redemption).count() == 4

    def test_settlement_waits_for_the_delay_window_and_runs_once(self, voucher, small, provider, officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = paid(officer, request(provider, contract))
        assert settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=2)) == 0
        assert settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=3)) == 1
        assert settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=4)) == 0
        redemption.refresh_from_db()
        assert redemption.state == "settled"
        assert Account.objects.get(kind="disbursed").balance_fen == 1_000_000
        assert SettlementBatch.objects.get().executed_at is not None
        assert ledger_verify() == []

    def test_an_erroneous_payment_is_cancelled_within_the_window_and_reversed_everywhere(self, voucher, small,
                                                                                         provider, officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = paid(officer, request(provider, contract))
        redemption = redemption_transition(actor=officer, redemption=redemption, transition="cancel", note="重复支付")
        assert redemption.state == "cancelled"
        assert voucher_balance_fen(voucher) == 5_000_000
        assert Account.objects.get(kind="payable").balance_fen == 0
        assert settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=3)) == 0
        assert ledger_verify() == []

    def test_after_settlement_a_payment_cannot_be_cancelled_only_refunded(self, voucher, small, provider, officer):
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = paid(officer, request(provider, contract))
        settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=3))
        with pytest.raises(Conflict):
            redemption_transition(actor=officer, redemption=redemption, transition="cancel", note="x")
        redemption = redemption_transition(actor=officer, redemption=redemption, transition="refund",
                                           note="服务机构退回")
        assert redemption.state == "refunded" and voucher_balance_fen(voucher) == 5_000_000
        assert Account.objects.get(kind="disbursed").balance_fen == 0
        assert Journal.objects.get(kind="refund").reverses.kind == "settle"
        assert ledger_verify() == []

    def test_the_database_refuses_a_negative_balance_even_if_a_service_did_not_check(self, voucher):
        from django.db import IntegrityError, transaction
        from django.db.models import F

        with pytest.raises(IntegrityError), transaction.atomic():
            Account.objects.filter(voucher=voucher, kind="voucher").update(balance_fen=F("balance_fen") - 5_000_001)

    def test_the_database_refuses_a_contract_committing_more_than_its_share(self, voucher, small, provider):
        from django.db import IntegrityError, transaction

        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        with pytest.raises(IntegrityError), transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(committed_fen=1_000_001)


class TestAfterExpiry:
    def test_money_held_by_a_request_returns_to_the_budget_when_rejected_after_expiry(self, voucher, small, provider,
                                                                                      officer, scheme):
        from shuangchuang.vouchers.models import SchemeYear, Voucher
        from shuangchuang.vouchers.services import vouchers_expire
        from shuangchuang.vouchers.services.ledger import account_for

        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = request(provider, contract)
        Voucher.objects.filter(pk=voucher.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
        assert vouchers_expire(actor=SYSTEM) == {"expired": 1, "returned_fen": 4_000_000}
        budget = account_for(SchemeYear.objects.get(scheme=scheme, year=TODAY.year), "budget")
        before = Account.objects.get(pk=budget.pk).balance_fen
        redemption_transition(actor=officer, redemption=redemption, transition="reject", note="逾期未补材料")
        assert Account.objects.get(pk=budget.pk).balance_fen == before + 1_000_000
        assert voucher_balance_fen(voucher) == 0
        assert ledger_verify() == []

    def test_a_request_on_an_expired_voucher_is_refused(self, voucher, small, provider):
        from shuangchuang.vouchers.models import Voucher

        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        Voucher.objects.filter(pk=voucher.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
        with pytest.raises(ServiceError):
            request(provider, contract)
        assert not Redemption.objects.exists()
