"""Applying and the application workflow: drafts, submission gates (window, form, files, eligibility, screening,
caps, double funding), requests for information, withdrawal, and who may take which step."""

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.programmes.models import Application, ApplicationStep, State
from shuangchuang.programmes.services import (
    FormErrors,
    application_create,
    application_file_add,
    application_save,
    application_transition,
    support_ledger_record,
    transitions_for,
)
from shuangchuang.programmes.tests.conftest import (
    ANSWERS,
    SYSTEM,
    draft,
    list_on_dishonest,
    make_call,
    make_programme,
    pdf,
    submitted,
)
from shuangchuang.registry.models import EnterpriseStatus

pytestmark = pytest.mark.django_db


class TestSubmission:
    def test_a_complete_draft_is_submitted_with_eligibility_and_screening_evidence(self, rep, firm, call):
        application = submitted(rep, call)
        assert application.state == State.SUBMITTED and application.submitted_at is not None
        assert application.eligibility["outcome"] == "pass"
        assert application.screening_evidence
        from shuangchuang.credit.models import ScreeningEvidence

        evidence = ScreeningEvidence.objects.get(pk=application.screening_evidence)
        assert evidence.deciding_department == call.programme.department  # its officers may open it
        assert AuditEvent.objects.filter(verb="programmes.application_submit", object_id=str(application.pk)).exists()
        assert list(application.steps.values_list("transition", flat=True)) == ["create", "submit"]

    def test_a_call_outside_its_window_takes_no_application(self, rep, firm, programme):
        now = timezone.now()
        closed = make_call(programme, online_opens_at=now - datetime.timedelta(days=10),
                           online_closes_at=now - datetime.timedelta(days=1))
        with pytest.raises(Conflict) as caught:
            draft(rep, closed, files=False)
        assert caught.value.code == "call_closed"

    def test_a_draft_cannot_be_submitted_after_the_window_closes(self, rep, firm, call):
        application = draft(rep, call)
        call.online_closes_at = timezone.now() - datetime.timedelta(minutes=1)
        call.save()
        with pytest.raises(Conflict):
            application_transition(actor=rep, application=Application.objects.get(pk=application.pk),
                                   transition="submit")

    def test_missing_answers_are_reported_by_field_and_nothing_changes(self, rep, firm, call):
        application = draft(rep, call, answers={})
        with pytest.raises(FormErrors) as caught:
            application_transition(actor=rep, application=application, transition="submit")
        assert {"summary", "spend", "has_patent", "team"} <= set(caught.value.errors)
        assert Application.objects.get(pk=application.pk).state == State.DRAFT

    def test_missing_files_are_named(self, rep, firm, call):
        application = draft(rep, call, files=False)
        with pytest.raises(ServiceError) as caught:
            application_transition(actor=rep, application=application, transition="submit")
        assert "Business plan" in caught.value.message and "Business licence" in caught.value.message

    def test_an_ineligible_enterprise_is_refused_with_the_failing_condition(self, rep, firm, programme):
        strict = make_call(programme, rule={"all": [{"fact": "employees", "op": "gte", "value": 100,
                                                     "cite": "（五）"}]})
        application = draft(rep, strict)
        with pytest.raises(Conflict) as caught:
            application_transition(actor=rep, application=application, transition="submit")
        assert caught.value.code == "not_eligible" and "40" in caught.value.message

    def test_a_listed_enterprise_is_stopped_at_submission_with_the_evidence(self, rep, firm, call):
        list_on_dishonest(firm)
        application = draft(rep, call)
        with pytest.raises(Conflict) as caught:
            application_transition(actor=rep, application=application, transition="submit")
        assert caught.value.code == "credit_blocked" and "evidence" in caught.value.message
        assert Application.objects.get(pk=application.pk).state == State.DRAFT

    def test_the_legal_representative_is_screened_where_the_programme_says_so(self, rep, firm, stic):
        from shuangchuang.credit.models import CreditList
        from shuangchuang.credit.services import entry_create

        programme = make_programme(stic, code="talent", screen_legal_representative=True)
        call = make_call(programme)
        person = firm.legal_representative
        entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="dishonest-debtor"), name=person.name,
                     id_number=person.id_number, subject_type="person", reason="拒不履行",
                     authority="深圳市中级人民法院", case_number="(2026)粤03执2号", listed_on="2026-01-05")
        with pytest.raises(Conflict) as caught:
            submitted(rep, call)
        assert "legal representative" in caught.value.message

    def test_a_deregistered_enterprise_cannot_submit(self, rep, firm, call):
        application = draft(rep, call)
        firm.status = EnterpriseStatus.DEREGISTERED
        firm.save()
        with pytest.raises(Conflict) as caught:
            application_transition(actor=rep, application=Application.objects.get(pk=application.pk),
                                   transition="submit")
        assert caught.value.code == "not_operating"

    def test_more_than_the_maximum_per_application_is_refused(self, rep, firm, call):
        application = draft(rep, call, requested=600_000_00)
        with pytest.raises(Conflict) as caught:
            application_transition(actor=rep, application=application, transition="submit")
        assert caught.value.code == "over_maximum"


class TestLedgerGates:
    def test_the_yearly_cap_counts_support_from_every_source(self, rep, firm, stic):
        programme = make_programme(stic, code="capped", annual_cap_fen=400_000_00)
        call = make_call(programme)
        support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="voucher", source_label="创新券",
                              source_ref="vouchers.voucher:1", department=stic, amount_fen=200_000_00,
                              kind="awarded", occurred_on=timezone.localdate())
        with pytest.raises(Conflict) as caught:
            submitted(rep, call, requested=300_000_00)
        assert caught.value.code == "over_annual_cap" and "400,000.00" in caught.value.message
        assert submitted(rep, call, requested=200_000_00, project_key="OTHER").state == State.SUBMITTED

    def test_a_project_already_funded_is_refused_with_the_reason(self, rep, firm, call, stic):
        support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="programme", source_label="首台套奖励",
                              source_ref="programmes.application:999", department=stic, amount_fen=100_00,
                              kind="awarded", occurred_on=timezone.localdate(), project_key="CONTRACT-1")
        with pytest.raises(Conflict) as caught:
            submitted(rep, call)
        assert caught.value.code == "double_funding" and "CONTRACT-1" in caught.value.message

    def test_the_same_project_cannot_be_in_two_open_applications(self, rep, firm, call, programme):
        submitted(rep, call)
        other_call = make_call(programme, title="另一批")
        with pytest.raises(Conflict) as caught:
            submitted(rep, other_call)
        assert caught.value.code == "double_application"

    def test_double_funding_is_allowed_where_the_programme_permits_it(self, rep, firm, stic):
        programme = make_programme(stic, code="lenient", refuse_double_funding=False)
        support_ledger_record(actor=SYSTEM, enterprise=firm, source_kind="programme", source_label="x",
                              source_ref="programmes.application:999", department=stic, amount_fen=100_00,
                              kind="awarded", occurred_on=timezone.localdate(), project_key="CONTRACT-1")
        assert submitted(rep, make_call(programme)).state == State.SUBMITTED


class TestInformationAndWithdrawal:
    def test_an_officer_asks_for_information_and_the_applicant_answers(self, rep, officer, firm, call):
        application = submitted(rep, call)
        application = application_transition(actor=officer, application=application, transition="request_info",
                                             note="请补充场地租赁合同")
        assert application.state == State.INFO_REQUESTED and application.info_request == "请补充场地租赁合同"
        application = application_save(actor=rep, application=application, answers={**ANSWERS, "area": "800"})
        application = application_transition(actor=rep, application=application, transition="respond",
                                             note="已补充")
        assert application.state == State.SUBMITTED and application.answers["area"] == "800"

    def test_a_request_for_information_needs_a_note(self, rep, officer, firm, call):
        application = submitted(rep, call)
        with pytest.raises(ServiceError):
            application_transition(actor=officer, application=application, transition="request_info")

    def test_the_applicant_withdraws_and_can_do_nothing_more(self, rep, firm, call):
        application = application_transition(actor=rep, application=submitted(rep, call), transition="withdraw")
        assert application.state == State.WITHDRAWN
        with pytest.raises(Conflict):
            application_save(actor=rep, application=application, answers=ANSWERS)
        assert transitions_for(rep, application) == []

    def test_a_submitted_application_cannot_be_edited(self, rep, firm, call):
        application = submitted(rep, call)
        with pytest.raises(Conflict):
            application_save(actor=rep, application=application, answers=ANSWERS)


class TestUploads:
    def test_a_file_of_the_wrong_type_is_refused(self, rep, firm, call):
        from django.core.files.uploadedfile import SimpleUploadedFile

        application = draft(rep, call, files=False)
        fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
        with pytest.raises(ServiceError) as caught:
            application_file_add(actor=rep, application=application, slot="plan", upload=fake)
        assert caught.value.code == "wrong_type"
        assert not application.files.exists()

    def test_an_oversized_file_is_refused(self, rep, firm, programme, settings):
        settings.UPLOAD_MAX_BYTES = 1000
        call = make_call(programme)
        application = draft(rep, call, files=False)
        with pytest.raises(ServiceError) as caught:
            application_file_add(actor=rep, application=application, slot="plan", upload=pdf(size=5000))
        assert caught.value.code == "too_large"

    def test_a_file_for_a_field_the_form_does_not_have_is_refused(self, rep, firm, call):
        application = draft(rep, call, files=False)
        with pytest.raises(ServiceError):
            application_file_add(actor=rep, application=application, slot="passport", upload=pdf())


class TestRoleMatrix:
    """Who may take each step; a refused step changes nothing."""

    @pytest.fixture
    def application(self, rep, firm, call):
        return submitted(rep, call)

    def _refused(self, actor, application, transition, note="note"):
        before = (application.state, ApplicationStep.objects.count(), AuditEvent.objects.count())
        with pytest.raises(NotAllowed) as caught:
            application_transition(actor=actor, application=application, transition=transition, note=note)
        application.refresh_from_db()
        assert (application.state, ApplicationStep.objects.count(), AuditEvent.objects.count()) == before
        return caught.value.message

    def test_anonymous_cannot_take_any_step(self, application):
        for transition in ("withdraw", "accept", "reject"):
            assert "Log in" in self._refused(Actor.anonymous(), application, transition)

    def test_another_enterprise_cannot_withdraw_or_see_it(self, application, other_rep, other_firm):
        from shuangchuang.programmes.permissions import can_view_application

        assert "another enterprise" in self._refused(other_rep, application, "withdraw")
        assert can_view_application(other_rep, application)[0] is False

    def test_an_officer_of_another_department_cannot_decide(self, application, other_officer):
        assert "another department" in self._refused(other_officer, application, "accept")
        assert "another department" in self._refused(other_officer, application, "reject")

    def test_the_applicant_cannot_take_officer_steps(self, application, rep):
        assert "officers" in self._refused(rep, application, "accept")

    def test_an_officer_cannot_withdraw_for_the_applicant(self, application, officer):
        assert "another enterprise" in self._refused(officer, application, "withdraw")

    def test_the_buttons_offered_match_the_permissions(self, application, rep, officer, other_officer):
        assert [t.name for t in transitions_for(rep, application)] == ["withdraw"]
        assert {t.name for t in transitions_for(officer, application)} == {"request_info", "accept", "reject"}
        assert transitions_for(other_officer, application) == []

    def test_a_step_from_the_wrong_state_is_a_conflict(self, application, officer):
        with pytest.raises(Conflict):
            application_transition(actor=officer, application=application, transition="award")

    def test_an_unknown_step_is_refused(self, application, officer):
        with pytest.raises(ServiceError):
            application_transition(actor=officer, application=application, transition="teleport")


def test_only_people_acting_for_a_registered_enterprise_can_apply(call, officer, firm_org, db):
    from shuangchuang.core.models import Role
    from shuangchuang.core.tests.factories import actor_for, grant, make_user

    with pytest.raises(NotAllowed):
        application_create(actor=officer, call=call, project_title="x", requested_fen=100)
    unregistered = actor_for(grant(make_user("p-unreg"), firm_org, Role.STAFF).user, firm_org)
    with pytest.raises(Conflict) as caught:
        application_create(actor=unregistered, call=call, project_title="x", requested_fen=100)
    assert caught.value.code == "not_registered"


class TestAmountFormula:
    """A call may cap each amount at an effective-dated share of a money answer (首台套: 30% of the sale price)."""

    @pytest.fixture
    def rate_call(self, programme, stic):
        from shuangchuang.policies.models import Parameter

        Parameter.objects.create(key="test.rate", label="测试比例", kind="decimal", value="0.30",
                                 valid_from=datetime.date(2016, 1, 1), department=stic)
        return make_call(programme, rate_parameter="test.rate", rate_base_field="spend",
                         stages=["formal_check", "committee"])

    def test_a_request_over_the_share_of_the_base_answer_is_refused(self, rep, firm, rate_call):
        with pytest.raises(Conflict) as caught:
            submitted(rep, rate_call, requested=400_000_00)  # 30% of 1,200,000.50 yuan = 360,000.15
        assert caught.value.code == "over_formula" and "360,000.15" in caught.value.message
        assert submitted(rep, rate_call, requested=360_000_00, project_key="OK").state == State.SUBMITTED

    def test_ranking_allocates_at_most_the_share(self, rep, officer, firm, rate_call):
        from shuangchuang.programmes.services import call_rank
        from shuangchuang.programmes.models import Assignment

        application = submitted(rep, rate_call, requested=300_000_00)
        Application.objects.filter(pk=application.pk).update(answers={**application.answers, "spend": 50_000_000})
        application = application_transition(actor=officer, application=Application.objects.get(pk=application.pk),
                                             transition="accept")
        Assignment.objects.create(application=application, reviewer=officer.user, total=80,
                                  submitted_at=timezone.now(), conflict=False)
        call_rank(actor=officer, call=rate_call)
        assert Application.objects.get(pk=application.pk).proposed_fen == 150_000_00

    def test_the_rate_needs_a_money_field_and_a_share_parameter(self, programme, stic):
        from shuangchuang.policies.models import Parameter

        Parameter.objects.create(key="test.rate2", label="比例", kind="decimal", value="0.5",
                                 valid_from=datetime.date(2016, 1, 1), department=stic)
        with pytest.raises(ServiceError) as caught:
            make_call(programme, rate_parameter="test.rate2", rate_base_field="summary")
        assert caught.value.code == "rate_base_not_money"
        with pytest.raises(ServiceError):
            make_call(programme, rate_parameter="test.rate2")


class TestTalentPerson:
    """A talent call names the person in an answer; that person is screened by ID number too."""

    @pytest.fixture
    def talent_call(self, stic):
        from shuangchuang.programmes.tests.conftest import FORM

        form = {"fields": [f for f in FORM["fields"]] + [
            {"key": "talent_id", "type": "text", "label": "Talent ID number", "required": True, "max_length": 18}]}
        return make_call(make_programme(stic, code="peacock"), form_schema=form, person_id_field="talent_id")

    def test_a_wrong_id_number_is_refused_on_the_form(self, rep, firm, talent_call):
        from shuangchuang.core.tests.factories import id_number, with_bad_check

        with pytest.raises(FormErrors) as caught:
            submitted(rep, talent_call, answers={**ANSWERS, "talent_id": with_bad_check(id_number(801))})
        assert "talent_id" in caught.value.errors

    def test_a_listed_person_stops_the_application(self, rep, firm, talent_call):
        from shuangchuang.core.tests.factories import id_number
        from shuangchuang.credit.models import CreditList
        from shuangchuang.credit.services import entry_create

        person = id_number(802)
        entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="dishonest-debtor"), name="赵六",
                     id_number=person, subject_type="person", reason="拒不履行", authority="深圳市中级人民法院",
                     case_number="(2026)粤03执3号", listed_on="2026-01-05")
        with pytest.raises(Conflict) as caught:
            submitted(rep, talent_call, answers={**ANSWERS, "talent_id": person})
        assert "person named" in caught.value.message

    def test_a_clear_person_is_screened_and_the_evidence_kept(self, rep, firm, talent_call):
        from shuangchuang.core.tests.factories import id_number

        application = submitted(rep, talent_call, answers={**ANSWERS, "talent_id": id_number(803)})
        assert application.screening_evidence_person

    def test_the_person_field_must_be_a_text_field_of_the_form(self, programme):
        with pytest.raises(ServiceError) as caught:
            make_call(programme, person_id_field="spend")
        assert caught.value.code == "person_field_not_text"
