"""After the committee: public notice with objections, the award (letter, ledger row, instalments), payments
with conditions re-checked (a firm listed after applying is stopped at payment), caps and double funding at the
decision, performance evaluation and clawback."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.programmes.models import Application, Award, InstalmentState, ObjectionState, State
from shuangchuang.programmes.models import SupportLedgerEntry
from shuangchuang.programmes.selectors import project_funded, support_total
from shuangchuang.programmes.services import (
    agreement_sign,
    application_transition,
    clawback_record,
    evaluation_record,
    instalment_pay,
    kpi_actual_set,
    kpi_add,
    notice_publish,
    objection_resolve,
    objection_submit,
    report_submit,
    reports_remind,
    support_ledger_record,
)
from shuangchuang.programmes.tests.conftest import SYSTEM, list_on_dishonest, make_call, make_programme, submitted
from shuangchuang.registry.models import EnterpriseStatus

pytestmark = pytest.mark.django_db
INSTALMENTS = [{"share": "0.2", "months": 0}, {"share": "0.2", "months": 12}, {"share": "0.2", "months": 24},
               {"share": "0.2", "months": 36}, {"share": "0.2", "months": 48}]


def proposed(rep, officer, call, amount=300_000_00, **kw):
    application = application_transition(actor=officer, application=submitted(rep, call, **kw), transition="accept")
    return application_transition(actor=officer, application=application, transition="propose", amount_fen=amount)


@pytest.fixture
def simple_call(programme):
    return make_call(programme, stages=["formal_check", "committee", "agreement"], instalments=INSTALMENTS,
                     report_every_months=12)


@pytest.fixture
def notice_call(programme):
    return make_call(programme, stages=["formal_check", "committee", "publicity"], publicity_days=7)


class TestPublicity:
    @pytest.fixture
    def in_notice(self, rep, officer, firm, notice_call):
        application = proposed(rep, officer, notice_call)
        notice = notice_publish(actor=officer, call=notice_call, title="拟资助项目公示")
        return Application.objects.get(pk=application.pk), notice

    def test_publishing_the_notice_moves_the_proposed_awards_into_it(self, in_notice):
        application, notice = in_notice
        assert application.state == State.PUBLICITY
        assert (notice.ends_on - notice.starts_on).days == 6

    def test_the_award_waits_for_the_end_of_the_notice(self, in_notice, officer):
        application, _notice = in_notice
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert "runs until" in caught.value.message

    def test_an_open_objection_blocks_the_award_until_resolved(self, in_notice, officer):
        application, notice = in_notice
        objection = objection_submit(actor=Actor.anonymous(), notice=notice, application=application, name="王某",
                                     contact="13800000000", text="该项目场地并非申请人实际使用的场地")
        notice.starts_on -= datetime.timedelta(days=10)
        notice.ends_on -= datetime.timedelta(days=10)
        notice.save()
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert "Objections" in caught.value.message
        objection_resolve(actor=officer, objection=objection, upheld=False, resolution="经核查，场地租赁合同真实有效")
        award = application_transition(actor=officer, application=application, transition="award")
        assert award.state == State.AWARDED

    def test_an_upheld_objection_prevents_the_award(self, in_notice, officer):
        application, notice = in_notice
        objection = objection_submit(actor=Actor.anonymous(), notice=notice, application=application, name="王某",
                                     contact="13800000000", text="申请人重复申报同一项目的资助")
        objection_resolve(actor=officer, objection=objection, upheld=True, resolution="查实")
        notice.ends_on = timezone.localdate() - datetime.timedelta(days=1)
        notice.save()
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert "upheld" in caught.value.message
        assert application_transition(actor=officer, application=application, transition="reject",
                                      note="异议成立").state == State.REJECTED

    def test_objections_outside_the_period_or_without_contact_are_refused(self, in_notice):
        application, notice = in_notice
        with pytest.raises(ServiceError):
            objection_submit(actor=Actor.anonymous(), notice=notice, application=application, name="",
                             contact="", text="没有联系方式的异议内容")
        notice.ends_on = timezone.localdate() - datetime.timedelta(days=1)
        notice.save()
        with pytest.raises(Conflict):
            objection_submit(actor=Actor.anonymous(), notice=notice, application=application, name="王某",
                             contact="138", text="公示期结束后的异议内容")

    def test_only_the_department_resolves_objections(self, in_notice, other_officer):
        application, notice = in_notice
        objection = objection_submit(actor=Actor.anonymous(), notice=notice, application=application, name="王某",
                                     contact="13800000000", text="异议内容足够长的文字")
        with pytest.raises(NotAllowed):
            objection_resolve(actor=other_officer, objection=objection, upheld=True, resolution="x")
        objection.refresh_from_db()
        assert objection.state == ObjectionState.OPEN

    def test_without_a_notice_stage_the_award_needs_no_notice(self, rep, officer, firm, simple_call):
        application = proposed(rep, officer, simple_call)
        assert application_transition(actor=officer, application=application, transition="award").state == \
            State.AWARDED


class TestAward:
    @pytest.fixture
    def award(self, rep, officer, firm, simple_call):
        application = proposed(rep, officer, simple_call)
        application_transition(actor=officer, application=application, transition="award")
        return Award.objects.get(application=application)

    def test_the_award_writes_the_letter_the_ledger_row_and_five_instalments(self, award, firm):
        assert award.amount_fen == 300_000_00 and award.letter_number in award.letter_text
        assert award.ledger_entry.kind == "awarded" and award.ledger_entry.amount_fen == 300_000_00
        assert support_total(enterprise=firm, year=timezone.localdate().year) == 300_000_00
        assert project_funded(enterprise=firm, project_key="CONTRACT-1")
        instalments = list(award.instalments.all())
        assert [i.amount_fen for i in instalments] == [60_000_00] * 5
        assert instalments[4].due_on.year == instalments[0].due_on.year + 4
        assert award.reports.count() == 5

    def test_payment_waits_for_the_signed_agreement(self, award, officer):
        instalment = award.instalments.first()
        instalment = instalment_pay(actor=officer, instalment=instalment)
        assert instalment.state == InstalmentState.STOPPED
        assert "agreement" in " ".join(instalment.check_result["reasons"])

    def test_an_instalment_is_paid_after_the_checks_and_recorded_in_the_ledger(self, award, officer, firm):
        agreement_sign(actor=officer, award=award, terms="按协议执行", milestones=[
            {"title": "样机完成", "due_on": "2027-06-30"}])
        instalment = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert instalment.state == InstalmentState.PAID and instalment.screening_evidence, instalment.check_result
        assert support_total(enterprise=firm, year=timezone.localdate().year, kind="paid") == 60_000_00

    def test_a_firm_listed_after_applying_is_stopped_at_payment(self, award, officer, firm):
        agreement_sign(actor=officer, award=award, terms="按协议执行", milestones=[])
        list_on_dishonest(firm)
        instalment = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert instalment.state == InstalmentState.STOPPED
        assert "credit list" in " ".join(instalment.check_result["reasons"])
        assert instalment.screening_evidence
        assert support_total(enterprise=firm, year=timezone.localdate().year, kind="paid") == 0

    def test_a_firm_no_longer_registered_is_stopped_at_payment(self, award, officer, firm):
        agreement_sign(actor=officer, award=award, terms="按协议执行", milestones=[])
        firm.status = EnterpriseStatus.REVOKED
        firm.save()
        instalment = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert instalment.state == InstalmentState.STOPPED

    def test_another_department_cannot_pay(self, award, other_officer):
        with pytest.raises(NotAllowed):
            instalment_pay(actor=other_officer, instalment=award.instalments.first())
        assert award.instalments.first().state == InstalmentState.PLANNED

    def test_a_paid_instalment_is_not_paid_twice(self, award, officer):
        agreement_sign(actor=officer, award=award, terms="按协议执行", milestones=[])
        instalment = instalment_pay(actor=officer, instalment=award.instalments.first())
        with pytest.raises(Conflict):
            instalment_pay(actor=officer, instalment=instalment)

    def test_a_clawback_reverses_the_award_in_the_ledger(self, award, officer, firm):
        clawback_record(actor=officer, award=award, amount_fen=100_000_00, reason="绩效评价不合格")
        assert support_total(enterprise=firm, year=timezone.localdate().year) == 200_000_00
        with pytest.raises(ServiceError):
            clawback_record(actor=officer, award=award, amount_fen=250_000_00, reason="超过")
        assert SupportLedgerEntry.objects.filter(reverses=award.ledger_entry).count() == 1

    def test_performance_reports_kpis_and_the_outcome(self, award, officer, rep):
        report = award.reports.first()
        with pytest.raises(ServiceError):
            report_submit(actor=rep, report=report, text="太短")
        report_submit(actor=rep, report=report, text="样机已完成，进入小批量试产阶段，已申请两项发明专利。")
        kpi = kpi_add(actor=officer, award=award, name="新增就业", target="20", unit="人")
        kpi_actual_set(actor=rep, kpi=kpi, actual="25")
        evaluated = evaluation_record(actor=officer, award=award, outcome="passed", note="指标完成")
        assert evaluated.outcome == "passed" and kpi.actual == 25

    def test_reminders_go_out_once_for_reports_due_soon(self, award):
        later = award.reports.first().due_on
        assert reports_remind(actor=SYSTEM, on=later) == 1
        assert reports_remind(actor=SYSTEM, on=later) == 0


class TestDecisionGates:
    def test_the_cap_is_checked_again_at_the_decision(self, rep, officer, firm, stic):
        programme = make_programme(stic, code="capped", annual_cap_fen=400_000_00)
        call = make_call(programme, stages=["formal_check", "committee"])
        application = proposed(rep, officer, call)
        support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="voucher", source_label="创新券",
                              source_ref="vouchers.voucher:1", department=stic, amount_fen=200_000_00,
                              kind="awarded", occurred_on=timezone.localdate())
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert caught.value.code == "over_annual_cap"
        assert not Award.objects.exists()

    def test_an_amount_clawed_back_in_the_year_no_longer_counts_against_the_cap(self, rep, officer, firm, stic):
        programme = make_programme(stic, code="capped", annual_cap_fen=400_000_00)
        call = make_call(programme, stages=["formal_check", "committee"])
        application = application_transition(actor=officer, application=proposed(rep, officer, call),
                                             transition="award")
        with pytest.raises(Conflict) as caught:  # 300,000 awarded + 250,000 > 400,000
            submitted(rep, call, requested=250_000_00, project_key="CONTRACT-2")
        assert caught.value.code == "over_annual_cap"
        clawback_record(actor=officer, award=application.award, amount_fen=200_000_00, reason="绩效评价不合格")
        assert submitted(rep, call, requested=250_000_00, project_key="CONTRACT-3").state == State.SUBMITTED

    def test_double_funding_is_checked_again_at_the_decision(self, rep, officer, firm, stic, simple_call):
        application = proposed(rep, officer, simple_call)
        support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="programme", source_label="首台套",
                              source_ref="programmes.application:999", department=stic, amount_fen=1,
                              kind="awarded", occurred_on=timezone.localdate(), project_key="CONTRACT-1")
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert caught.value.code == "double_funding"

    def test_a_firm_listed_before_the_decision_is_not_awarded(self, rep, officer, firm, simple_call):
        application = proposed(rep, officer, simple_call)
        list_on_dishonest(firm)
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="award")
        assert caught.value.code == "credit_blocked"
        assert Application.objects.get(pk=application.pk).state == State.PROPOSED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_decisions_cannot_both_succeed(stic):
    """Two officers decide the same application at the same moment: one succeeds, the other gets a conflict."""
    from shuangchuang.core.models import Role
    from shuangchuang.core.tests.factories import actor_for, grant, id_number, make_enterprise_org, make_user
    from shuangchuang.programmes.tests.conftest import register

    org = make_enterprise_org("深圳市并发科技有限公司", 77)
    register(org, person_id=id_number(777))
    rep_user = make_user("race-rep")
    grant(rep_user, org, Role.LEGAL_REPRESENTATIVE)
    officers = []
    for name in ("race-officer-1", "race-officer-2"):
        user = make_user(name)
        grant(user, stic, Role.OFFICER)
        officers.append(actor_for(user, stic))
    call = make_call(make_programme(stic, code="race"), stages=["formal_check", "committee"])
    application = proposed(actor_for(rep_user, org), officers[0], call)
    barrier, results = threading.Barrier(2), []

    def decide(actor, transition):
        from django.db import connections

        try:
            barrier.wait()
            note = "reject" if transition == "reject" else ""
            application_transition(actor=actor, application=Application.objects.get(pk=application.pk),
                                   transition=transition, note=note)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(officers[0], "award")),
               threading.Thread(target=decide, args=(officers[1], "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert Application.objects.get(pk=application.pk).steps.filter(transition__in=["award", "reject"]).count() == 1
