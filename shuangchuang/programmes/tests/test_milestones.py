"""Instalments that wait for milestones: the applicant reports a milestone reached, an officer accepts it, an
officer links milestones to an instalment, and the payment check stops the instalment with the reason until each
linked milestone is reported and accepted."""

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import AuditEvent
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.programmes.models import Award, InstalmentState, Milestone
from shuangchuang.programmes.services import (
    agreement_sign,
    application_transition,
    instalment_milestones_set,
    instalment_pay,
    milestone_accept,
    milestone_done,
    milestone_report,
)
from shuangchuang.programmes.tests.conftest import make_call, submitted

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def award(rep, officer, firm, programme):
    call = make_call(programme, stages=["formal_check", "committee", "agreement"],
                     instalments=[{"share": "0.5", "months": 0}, {"share": "0.5", "months": 12}])
    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    application = application_transition(actor=officer, application=application, transition="propose",
                                         amount_fen=200_000_00)
    application_transition(actor=officer, application=application, transition="award")
    award = Award.objects.get(application=application)
    agreement_sign(actor=officer, award=award, terms="按协议执行", milestones=[
        {"title": "样机完成", "due_on": "2027-06-30"}, {"title": "小批量试产", "due_on": "2027-12-31"}])
    return award


@pytest.fixture
def second(award, officer):
    instalment = award.instalments.get(seq=2)
    instalment_milestones_set(actor=officer, instalment=instalment, milestones=list(award.milestones.all()))
    return instalment


class TestThePaymentCheck:
    def test_an_instalment_without_milestones_is_paid(self, award, officer):
        assert instalment_pay(actor=officer, instalment=award.instalments.get(seq=1)).state == InstalmentState.PAID

    def test_an_instalment_waits_for_each_linked_milestone_with_the_reason(self, award, second, officer, rep):
        first, last = award.milestones.order_by("due_on")
        stopped = instalment_pay(actor=officer, instalment=second)
        assert stopped.state == InstalmentState.STOPPED and stopped.ledger_entry is None
        reasons = stopped.check_result["reasons"]
        assert reasons == ["The milestone 样机完成 is not reported reached.",
                           "The milestone 小批量试产 is not reported reached."]
        milestone_report(actor=rep, milestone=first, done_on=YESTERDAY, evidence="样机检测报告")
        reasons = instalment_pay(actor=officer, instalment=second).check_result["reasons"]
        assert reasons[0].startswith("The milestone 样机完成 is reported reached on") and "not yet accepted" in reasons[0]
        milestone_accept(actor=officer, milestone=first)
        milestone_done(actor=officer, milestone=last, done_on=YESTERDAY, evidence="现场核查")
        paid = instalment_pay(actor=officer, instalment=second)
        assert paid.state == InstalmentState.PAID, paid.check_result

    def test_linking_replaces_the_set_and_is_audited(self, award, second, officer):
        instalment_milestones_set(actor=officer, instalment=second, milestones=[award.milestones.first()])
        assert second.required_milestones.count() == 1
        assert AuditEvent.objects.filter(verb="programmes.instalment_milestones_set").count() == 2

    def test_a_paid_instalment_cannot_be_relinked(self, award, officer):
        paid = instalment_pay(actor=officer, instalment=award.instalments.get(seq=1))
        with pytest.raises(Conflict):
            instalment_milestones_set(actor=officer, instalment=paid, milestones=list(award.milestones.all()))
        assert paid.required_milestones.count() == 0


class TestReportingAndAccepting:
    def test_a_report_needs_a_past_date_and_evidence(self, award, rep):
        milestone = award.milestones.first()
        with pytest.raises(ServiceError):
            milestone_report(actor=rep, milestone=milestone, done_on=timezone.localdate() + datetime.timedelta(days=3),
                             evidence="x")
        with pytest.raises(ServiceError):
            milestone_report(actor=rep, milestone=milestone, done_on=YESTERDAY, evidence=" ")
        assert Milestone.objects.get(pk=milestone.pk).done_on is None

    def test_nothing_unreported_is_accepted(self, award, officer):
        with pytest.raises(Conflict):
            milestone_accept(actor=officer, milestone=award.milestones.first())

    def test_the_role_matrix_changes_nothing_when_denied(self, award, second, rep, other_rep, officer, other_officer):
        milestone = award.milestones.first()
        for actor in (Actor.anonymous(), other_rep, other_officer):
            with pytest.raises(NotAllowed):
                milestone_report(actor=actor, milestone=milestone, done_on=YESTERDAY, evidence="证据")
        milestone_report(actor=rep, milestone=milestone, done_on=YESTERDAY, evidence="证据")
        for actor in (Actor.anonymous(), rep, other_officer):
            with pytest.raises(NotAllowed):
                milestone_accept(actor=actor, milestone=milestone)
            with pytest.raises(NotAllowed):
                instalment_milestones_set(actor=actor, instalment=second, milestones=[])
        milestone.refresh_from_db()
        assert milestone.accepted_at is None and second.required_milestones.count() == 2


class TestThePages:
    def test_the_officer_links_milestones_and_accepts_a_report(self, award, officer, rep, login):
        instalment = award.instalments.get(seq=2)
        first = award.milestones.order_by("due_on").first()
        client = login(officer)
        client.post(f"/programmes/manage/applications/{award.application_id}/instalments/{instalment.pk}/milestones/",
                    {"milestones": [str(first.pk)]})
        assert list(instalment.required_milestones.all()) == [first]
        milestone_report(actor=rep, milestone=first, done_on=YESTERDAY, evidence="检测报告")
        page = client.get(f"/programmes/manage/applications/{award.application_id}/").content.decode()
        assert "检测报告" in page and "Accept" in page
        client.post(f"/programmes/manage/applications/{award.application_id}/milestones/{first.pk}/accept/")
        assert Milestone.objects.get(pk=first.pk).accepted_at is not None

    def test_an_application_or_milestone_number_beyond_the_database_is_not_found(self, award, officer, login):
        instalment = award.instalments.get(seq=2)
        first = award.milestones.order_by("due_on").first()
        huge = "9" * 25
        client = login(officer)
        base = f"/programmes/manage/applications/{award.application_id}"
        response = client.post(f"{base}/instalments/{instalment.pk}/milestones/", {"milestones": [str(first.pk), huge]})
        assert response.status_code == 404
        for url in (f"/programmes/manage/applications/{huge}/instalments/{instalment.pk}/milestones/",
                    f"/programmes/manage/applications/{huge}/milestones/{first.pk}/accept/",
                    f"/programmes/applications/{huge}/milestones/{first.pk}/",
                    f"/programmes/applications/{huge}/reports/1/", f"/programmes/applications/{huge}/indicators/1/",
                    f"/programmes/applications/{huge}/files/1/remove/", f"/programmes/applications/{huge}/lease/1/",
                    f"/programmes/manage/applications/{huge}/lease/1/"):
            assert client.post(url, {}).status_code == 404, url
        assert not instalment.required_milestones.exists()

    def test_the_applicant_reports_from_its_page(self, award, rep, login):
        first = award.milestones.order_by("due_on").first()
        client = login(rep)
        assert "Report as reached" in client.get(f"/programmes/applications/{award.application_id}/").content.decode()
        client.post(f"/programmes/applications/{award.application_id}/milestones/{first.pk}/",
                    {"done_on": YESTERDAY.isoformat(), "evidence": "样机检测报告"})
        assert Milestone.objects.get(pk=first.pk).reported_at is not None
