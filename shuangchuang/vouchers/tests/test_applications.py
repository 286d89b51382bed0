"""Applying for an innovation voucher: eligibility from the rule, caps by size class and date, the five-a-year and
unused-balance rules, credit screening at application and issue, review → publicity → issue."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.credit.models import CreditList
from shuangchuang.credit.services import entry_create, restriction_create
from shuangchuang.registry.models import Enterprise
from shuangchuang.vouchers.models import Application, ApplicationState, Scheme, Voucher
from shuangchuang.vouchers.services import (
    application_check,
    application_submit,
    application_transition,
    ledger_verify,
    scheme_budget_add,
    scheme_create,
    voucher_balance_fen,
    vouchers_expire,
)
from shuangchuang.vouchers.tests.conftest import TODAY, issued, set_parameter


def submit(party, scheme, amount=5_000_000, **kw):
    return application_submit(actor=party.actor, scheme=scheme, applicant_kind="enterprise", requested_fen=amount,
                              purpose="检测服务", **kw)


def restrict_vouchers(listed):
    dishonest = CreditList.objects.get(code="dishonest-debtor")
    restriction_create(actor=SYSTEM, credit_list=dishonest, action="voucher", valid_from=datetime.date(2016, 1, 1),
                       legal_basis="深府〔2016〕61号（二）")
    entry_create(actor=SYSTEM, credit_list=dishonest, name=listed.name, uscc=listed.uscc,
                 reason="有履行能力而拒不履行", listed_on="2025-03-01")


class TestEligibilityAndCaps:
    def test_a_small_firm_may_request_up_to_the_small_cap_and_no_more(self, scheme, small):
        with pytest.raises(ServiceError) as exc:
            submit(small, scheme, amount=10_000_001)
        assert exc.value.code == "over_cap" and "100,000.00" in exc.value.message
        application = submit(small, scheme, amount=10_000_000)
        assert (application.state, application.cap_fen, application.size_class) == ("submitted", 10_000_000, "small")

    def test_the_cap_follows_the_size_class(self, scheme, medium, micro):
        assert submit(medium, scheme, amount=20_000_000).cap_fen == 20_000_000
        with pytest.raises(ServiceError):
            submit(micro, scheme, amount=5_000_001)
        assert submit(micro, scheme, amount=5_000_000).cap_fen == 5_000_000

    def test_the_cap_is_read_on_the_date_of_the_application(self, scheme, small):
        set_parameter("voucher.cap.small", "money", 10_000_000, valid_to=datetime.date(2025, 12, 31))
        set_parameter("voucher.cap.small", "money", 15_000_000, valid_from=datetime.date(2026, 1, 1))
        assert application_check(actor=small.actor, scheme=scheme, applicant_kind="enterprise",
                                 on=datetime.date(2025, 6, 1))["cap_fen"] == 10_000_000
        assert submit(small, scheme, amount=15_000_000, on=datetime.date(2026, 3, 1)).cap_fen == 15_000_000

    def test_a_firm_without_rd_spending_is_refused_with_the_failing_condition(self, scheme, small):
        Enterprise.objects.filter(pk=small.enterprise.pk).update(rd_expense_fen=0)
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        assert exc.value.code == "not_eligible" and "R&D" in exc.value.message
        assert not Application.objects.exists()

    def test_the_check_explains_each_condition_without_applying(self, scheme, small):
        result = application_check(actor=small.actor, scheme=scheme, applicant_kind="enterprise")
        assert result["eligibility"]["outcome"] == "pass" and result["refusal"] == ""
        assert {c["fact"] for c in result["eligibility"]["conditions"]} == {"status", "legal_form", "size_class",
                                                                            "rd_expense"}
        assert all(c["cite"] for c in result["eligibility"]["conditions"])

    def test_an_unset_cap_refuses_instead_of_guessing(self, scheme, small):
        set_parameter("voucher.cap.small", "money", None)
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        assert exc.value.code == "no_cap"

    def test_a_maker_applies_through_a_maker_space_with_the_maker_cap(self, scheme, small):
        from shuangchuang.core.tests.factories import id_number

        application = application_submit(actor=small.actor, scheme=scheme, applicant_kind="maker",
                                         requested_fen=1_000_000, purpose="原型测试", person_name="王创客",
                                         person_id_number=id_number(77, region="440305"))
        assert (application.size_class, application.cap_fen, application.holder_name) == ("maker", 1_000_000, "王创客")
        with pytest.raises(ServiceError):
            application_submit(actor=small.actor, scheme=scheme, applicant_kind="maker", requested_fen=1_000_001,
                               purpose="x", person_name="李创客", person_id_number=id_number(78, region="440305"))


class TestYearlyAndBalanceRules:
    def test_a_new_application_is_refused_while_the_last_voucher_has_an_unused_balance(self, scheme, small, officer):
        voucher = issued(small, scheme, officer)
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        assert exc.value.code == "unused_balance" and voucher.code in exc.value.message

    def test_an_open_application_also_blocks_a_second_one(self, scheme, small):
        submit(small, scheme)
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        assert exc.value.code == "application_open"

    def test_a_small_leftover_counts_as_used_only_when_the_department_says_so(self, scheme, small, officer):
        voucher = issued(small, scheme, officer, amount_fen=100_000)  # 1000 yuan left unused
        set_parameter("voucher.small_balance_threshold", "money", 200_000)
        with pytest.raises(Conflict):
            submit(small, scheme)
        set_parameter("voucher.small_balance_counts_as_used", "integer", 1)
        assert submit(small, scheme).state == "submitted"
        assert voucher_balance_fen(voucher) == 100_000

    def test_the_sixth_application_of_a_year_is_refused(self, scheme, small, officer):
        for _i in range(5):
            application = submit(small, scheme)
            application_transition(actor=officer, application=application, transition="reject", note="材料不全")
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        assert exc.value.code == "yearly_count" and "5 times" in exc.value.message

    def test_withdrawn_applications_do_not_count(self, scheme, small):
        for _i in range(6):
            application = submit(small, scheme)
            application_transition(actor=small.actor, application=application, transition="withdraw")
        assert Application.objects.filter(state="withdrawn").count() == 6

    def test_an_expired_voucher_no_longer_blocks_and_its_balance_returns_to_the_budget(self, scheme, small, officer):
        voucher = issued(small, scheme, officer, amount_fen=3_000_000)
        Voucher.objects.filter(pk=voucher.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
        assert vouchers_expire(actor=SYSTEM) == {"expired": 1, "returned_fen": 3_000_000}
        assert vouchers_expire(actor=SYSTEM) == {"expired": 0, "returned_fen": 0}
        assert voucher_balance_fen(voucher) == 0
        assert submit(small, scheme).state == "submitted"
        assert ledger_verify() == []


class TestScreening:
    def test_a_listed_firm_is_refused_and_the_refusal_is_kept_with_its_evidence(self, scheme, small):
        restrict_vouchers(small.enterprise)
        with pytest.raises(Conflict) as exc:
            submit(small, scheme)
        application = Application.objects.get()
        assert exc.value.code == "screening_blocked"
        assert application.state == ApplicationState.REFUSED and application.screening_evidence
        assert application.screening_evidence in exc.value.message

    def test_a_firm_listed_after_applying_is_not_issued_a_voucher(self, scheme, small, officer):
        application = submit(small, scheme)
        application_transition(actor=officer, application=application, transition="publicise")
        restrict_vouchers(small.enterprise)
        with pytest.raises(Conflict) as exc:
            application_transition(actor=officer, application=application, transition="issue")
        assert exc.value.code == "screening_blocked"
        assert not Voucher.objects.exists()

    def test_a_clear_screening_leaves_its_evidence_on_the_application(self, scheme, small):
        assert len(submit(small, scheme).screening_evidence) == 36


class TestDecision:
    def test_issuing_moves_the_amount_from_the_budget_to_the_voucher(self, scheme, small, officer):
        voucher = issued(small, scheme, officer, amount_fen=4_000_000)
        assert voucher_balance_fen(voucher) == 4_000_000 and voucher.face_value_fen == 4_000_000
        assert voucher.valid_until.year == TODAY.year + 1
        assert ledger_verify() == []

    def test_the_budget_can_never_be_over_committed(self, scheme, medium, small, officer):
        tight = scheme_create(actor=officer, department=scheme.department, code="tight", kind="innovation",
                              name="小预算创新券", legal_basis="test", categories=["testing"],
                              parameters=scheme.parameters, rule=scheme.rule, publicity_days=0)
        scheme_budget_add(actor=officer, scheme=tight, year=TODAY.year, amount_fen=6_000_000)
        issued(small, tight, officer, amount_fen=5_000_000)
        application = submit(medium, tight, amount=2_000_000)
        application_transition(actor=officer, application=application, transition="publicise")
        with pytest.raises(Conflict) as exc:
            application_transition(actor=officer, application=application, transition="issue")
        assert exc.value.code == "budget_exhausted"
        assert Application.objects.get(pk=application.pk).state == "publicised"
        assert ledger_verify() == []

    def test_the_voucher_is_not_issued_before_the_publicity_ends(self, scheme, small, officer):
        Scheme.objects.filter(pk=scheme.pk).update(publicity_days=5)
        application = submit(small, scheme)
        application_transition(actor=officer, application=application, transition="publicise")
        with pytest.raises(Conflict) as exc:
            application_transition(actor=officer, application=application, transition="issue")
        assert exc.value.code == "publicity_running"
        later = TODAY + datetime.timedelta(days=5)
        application = application_transition(actor=officer, application=application, transition="issue", on=later)
        assert application.voucher.issued_on == later

    def test_an_officer_may_issue_less_than_requested_but_not_more(self, scheme, small, officer):
        application = submit(small, scheme, amount=5_000_000)
        application_transition(actor=officer, application=application, transition="publicise")
        with pytest.raises(ServiceError):
            application_transition(actor=officer, application=application, transition="issue", amount_fen=5_000_001)
        application = application_transition(actor=officer, application=application, transition="issue",
                                             amount_fen=4_000_000)
        assert application.voucher.face_value_fen == 4_000_000

    def test_without_a_validity_period_the_officer_gives_the_last_day(self, scheme, small, officer):
        set_parameter("voucher.validity_months", "integer", None)
        application = submit(small, scheme)
        application_transition(actor=officer, application=application, transition="publicise")
        with pytest.raises(Conflict) as exc:
            application_transition(actor=officer, application=application, transition="issue")
        assert exc.value.code == "parameter_not_set"
        last_day = TODAY + datetime.timedelta(days=180)
        application = application_transition(actor=officer, application=application, transition="issue",
                                             valid_until=last_day)
        assert application.voucher.valid_until == last_day

    def test_a_rejection_needs_a_reason(self, scheme, small, officer):
        application = submit(small, scheme)
        with pytest.raises(ServiceError):
            application_transition(actor=officer, application=application, transition="reject")

    def test_an_officer_of_another_department_cannot_decide_and_nothing_changes(self, scheme, small, other_officer):
        application = submit(small, scheme)
        with pytest.raises(NotAllowed):
            application_transition(actor=other_officer, application=application, transition="publicise")
        assert Application.objects.get(pk=application.pk).state == "submitted"


class TestHighTechServiceVoucher:
    def test_a_large_firm_may_apply_for_the_high_tech_recognition_service_up_to_its_own_cap(self, scheme, officer):
        from shuangchuang.vouchers.tests.conftest import _party

        set_parameter("voucher.cap.hnte_service", "money", 2_000_000, valid_from=datetime.date(2017, 1, 1))
        hnte = Scheme.objects.get(code="sz-hnte-service-voucher")
        large = _party("深圳市大型科技集团有限公司", 31, "large-rep", employees=900, revenue_yuan=500_000_000)
        assert large.enterprise.size_class == "large"
        with pytest.raises(Conflict):
            submit(large, scheme)  # the general scheme is for SMEs only
        with pytest.raises(ServiceError):
            submit(large, hnte, amount=2_000_001)
        assert submit(large, hnte, amount=2_000_000).cap_fen == 2_000_000


class TestNoDoubleFunding:
    def test_a_project_already_awarded_city_funds_is_refused(self, scheme, small, officer):
        from shuangchuang.programmes.services import support_ledger_record

        support_ledger_record(actor=SYSTEM, enterprise=small.enterprise, source_kind="programme",
                              source_label="技术攻关项目", source_ref="programmes.application:1",
                              department=scheme.department, amount_fen=50_000_000, kind="awarded",
                              occurred_on=TODAY, project_key="5G 基站芯片")
        with pytest.raises(Conflict) as exc:
            submit(small, scheme, project_key="5G 基站芯片")
        assert exc.value.code == "double_funding" and not Application.objects.exists()
        assert submit(small, scheme, project_key="另一个项目").project_key == "另一个项目"

    def test_paid_vouchers_are_rows_of_the_project_and_do_not_block_the_next_voucher(self, scheme, small, provider,
                                                                                     officer):
        from shuangchuang.programmes.models import SupportLedgerEntry
        from shuangchuang.vouchers.services import redemption_request, redemption_transition
        from shuangchuang.vouchers.tests.conftest import proofs, registered, signed

        registered(provider, scheme, officer)
        application = submit(small, scheme, amount=1_000_000, project_key="芯片项目")
        application_transition(actor=officer, application=application, transition="publicise")
        voucher = application_transition(actor=officer, application=application, transition="issue").voucher
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        redemption = redemption_request(actor=provider.actor, contract=contract, idempotency_key="p",
                                        holder_paid_fen=1_000_000, service_done_on=TODAY, documents=proofs())
        for step, note in (("audit", "ok"), ("publicise", ""), ("pay", "")):
            redemption_transition(actor=officer, redemption=redemption, transition=step, note=note)
        assert SupportLedgerEntry.objects.get(kind="paid").project_key == "芯片项目"
        assert submit(small, scheme, project_key="芯片项目").state == "submitted"
