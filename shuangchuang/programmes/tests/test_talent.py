"""Talent awards applied for by a natural person (Peacock A/B/C): a person with a real-name account and no
enterprise applies; the eligibility is explained from the form answers; the person is screened by ID number at
submission, at the decision and at every payment; the award goes to the employer's support ledger when the form
names one in the register, and to no ledger otherwise."""

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed
from shuangchuang.core.tests.factories import actor_for, id_number, make_user
from shuangchuang.programmes.models import Application, Award, InstalmentState, State, SupportLedgerEntry
from shuangchuang.programmes.services import (
    FormErrors,
    application_create,
    application_save,
    application_transition,
    instalment_pay,
)
from shuangchuang.programmes.services.checks import person_eligibility
from shuangchuang.programmes.tests.conftest import SYSTEM, make_call, make_programme

pytestmark = pytest.mark.django_db

TALENT_FORM = {"fields": [
    {"key": "category", "type": "choice", "label": "Category", "required": True,
     "choices": [["a", "A"], ["b", "B"], ["c", "C"]]},
    {"key": "age", "type": "number", "label": "Age", "required": True, "min": 18, "max": 55},
    {"key": "recognised_on", "type": "date", "label": "Recognised on", "required": True},
    {"key": "employer_uscc", "type": "text", "label": "Employer USCC", "max_length": 18},
]}
ANSWERS = {"category": "b", "age": "42", "recognised_on": "2026-03-01"}
PERSON_ID = id_number(611)


def list_person(id_no):
    from shuangchuang.credit.models import CreditList
    from shuangchuang.credit.services import entry_create

    entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="dishonest-debtor"), name="赵七",
                 id_number=id_no, subject_type="person", reason="拒不履行", authority="深圳市中级人民法院",
                 case_number="(2026)粤03执9号", listed_on="2026-01-05")


@pytest.fixture
def talent_call(stic):
    return make_call(make_programme(stic, code="peacock-b", name="孔雀计划B类"), form_schema=TALENT_FORM,
                     attachments=[], rule={}, person_applicants=True, employer_field="employer_uscc",
                     stages=["formal_check", "committee"], max_award_fen=2_000_000_00, budget_fen=10_000_000_00,
                     instalments=[{"share": "0.2", "months": 12 * i} for i in range(5)])


@pytest.fixture
def talent(db):
    return actor_for(make_user("talent-zhao", full_name="赵七", id_no=PERSON_ID), None)


def apply(actor, call, answers=None, key="PEACOCK-ZHAO"):
    application = application_create(actor=actor, call=call, project_title="孔雀计划B类人才奖励补贴",
                                     requested_fen=2_000_000_00, project_key=key,
                                     answers=ANSWERS if answers is None else answers)
    return application_transition(actor=actor, application=application, transition="submit")


def decide(officer, application):
    application = application_transition(actor=officer, application=application, transition="accept")
    application = application_transition(actor=officer, application=application, transition="propose",
                                         amount_fen=2_000_000_00)
    return application_transition(actor=officer, application=application, transition="award")


class TestApplying:
    def test_a_person_applies_without_an_enterprise_and_is_screened_by_id_number(self, talent, talent_call):
        application = apply(talent, talent_call)
        assert application.state == State.SUBMITTED
        assert application.person_id == talent.user.pk and application.enterprise_id is None
        assert application.screening_evidence and application.screening_evidence == application.screening_evidence_person
        eligibility = application.eligibility
        assert eligibility["outcome"] == "pass" and eligibility["person"]
        requirements = [c["requirement"] for c in eligibility["conditions"]]
        assert "Age: at least 18; at most 55" in requirements
        assert any("ID number" in r for r in requirements)

    def test_an_answer_outside_the_conditions_is_explained_and_refused(self, talent, talent_call):
        draft = application_create(actor=talent, call=talent_call, project_title="孔雀计划", requested_fen=1_00,
                                   answers={**ANSWERS, "age": "42"})
        draft.answers = {**draft.answers, "age": "60"}  # as if saved before the form changed
        explained = person_eligibility(draft)
        age = next(c for c in explained["conditions"] if c["requirement"].startswith("Age"))
        assert explained["outcome"] == "fail" and age["outcome"] == "fail" and age["actual"] == "60"
        with pytest.raises(FormErrors):
            application_save(actor=talent, application=draft, answers={**ANSWERS, "age": "60"})

    def test_without_real_name_data_a_person_cannot_apply(self, talent_call):
        anonymous_name = actor_for(make_user("no-name", full_name="", id_no=""), None)
        with pytest.raises(NotAllowed):
            application_create(actor=anonymous_name, call=talent_call, project_title="x", requested_fen=1_00,
                               answers=ANSWERS)
        assert not Application.objects.exists()

    def test_a_listed_person_is_stopped_at_submission(self, talent, talent_call):
        list_person(PERSON_ID)
        with pytest.raises(Conflict) as caught:
            apply(talent, talent_call)
        assert "person applying" in caught.value.message
        assert Application.objects.get().state == State.DRAFT

    def test_the_same_person_cannot_apply_twice_for_the_same_project(self, talent, talent_call):
        apply(talent, talent_call)
        with pytest.raises(Conflict) as caught:
            apply(talent, talent_call)
        assert caught.value.code == "double_application"


class TestTheAwardAndTheLedger:
    def test_the_award_is_recorded_against_the_employer_named_in_the_form(self, talent, talent_call, officer,
                                                                           firm):
        application = decide(officer, apply(talent, talent_call, {**ANSWERS, "employer_uscc": firm.uscc}))
        assert application.employer_id == firm.pk
        award = Award.objects.get(application=application)
        assert award.ledger_entry.enterprise_id == firm.pk and "赵七" in award.ledger_entry.note
        assert PERSON_ID not in award.letter_text and "赵七" in award.letter_text
        paid = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert paid.state == InstalmentState.PAID and paid.ledger_entry.enterprise_id == firm.pk

    def test_without_an_employer_in_the_register_nothing_goes_to_a_ledger(self, talent, talent_call, officer):
        application = decide(officer, apply(talent, talent_call, {**ANSWERS, "employer_uscc": "91440300MA5XXXXXXX"}))
        award = Award.objects.get(application=application)
        assert application.employer_id is None and award.ledger_entry is None
        paid = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert paid.state == InstalmentState.PAID and paid.ledger_entry is None
        assert not SupportLedgerEntry.objects.exists()

    def test_a_person_listed_after_the_award_is_stopped_at_payment(self, talent, talent_call, officer):
        award = Award.objects.get(application=decide(officer, apply(talent, talent_call)))
        list_person(PERSON_ID)
        stopped = instalment_pay(actor=officer, instalment=award.instalments.first())
        assert stopped.state == InstalmentState.STOPPED and stopped.check_result["person_evidence"]
        assert "person applying" in " ".join(stopped.check_result["reasons"])


class TestWhoMay:
    def test_the_role_matrix_changes_nothing_when_denied(self, talent, talent_call, rep, other_officer):
        application = apply(talent, talent_call)
        other_person = actor_for(make_user("talent-qian", full_name="钱八", id_no=id_number(612)), None)
        for actor in (Actor.anonymous(), other_person, rep):
            with pytest.raises(NotAllowed):
                application_transition(actor=actor, application=application, transition="withdraw")
        with pytest.raises(NotAllowed):
            application_transition(actor=other_officer, application=application, transition="accept")
        assert Application.objects.get(pk=application.pk).state == State.SUBMITTED

    def test_the_person_follows_the_application_on_the_pages(self, talent, talent_call, login, officer):
        application = apply(talent, talent_call)
        client = login(talent.user)
        assert "孔雀计划B类人才奖励补贴" in client.get("/programmes/my/").content.decode()
        assert client.get(f"/programmes/applications/{application.pk}/").status_code == 200
        other = login(make_user("talent-sun", full_name="孙九", id_no=id_number(613)))
        assert other.get(f"/programmes/applications/{application.pk}/").status_code == 403
        page = login(officer).get(f"/programmes/manage/applications/{application.pk}/").content.decode()
        assert "a natural person" in page and PERSON_ID not in page


def test_the_call_page_states_the_personal_conditions_and_a_person_starts_a_draft(talent, talent_call, login):
    from shuangchuang.programmes.models import Application

    client = login(talent.user)
    page = client.get(f"/programmes/calls/{talent_call.pk}/").content.decode()
    assert "Age: at least 18; at most 55" in page and "real-name account" in page
    assert client.get(f"/programmes/calls/{talent_call.pk}/apply/").status_code == 200
    response = client.post(f"/programmes/calls/{talent_call.pk}/apply/", {
        "project_title": "孔雀计划B类", "project_key": "P-1", "requested": "2000000", "category": "b",
        "age": "40", "recognised_on": "2026-03-01"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Application.objects.get().person_id == talent.user.pk
