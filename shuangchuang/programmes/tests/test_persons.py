"""Natural persons applying (talent calls) everywhere an enterprise can: the API with a token of a user with no
organisation, the officers' export naming the person, the open calls that fit a person with the conditions the
form states, and a cap on the awards to one person per year when the call or programme sets one (a parameter
not set on the date — a GAP — means no cap)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from shuangchuang.core.errors import Conflict
from shuangchuang.core.services import api_token_create
from shuangchuang.core.tests.factories import actor_for, id_number, make_user
from shuangchuang.programmes.models import Application, State
from shuangchuang.programmes.selectors.calls import open_calls_for_person
from shuangchuang.programmes.services import application_create, application_transition, call_update
from shuangchuang.programmes.tests.conftest import SYSTEM
from shuangchuang.programmes.tests.test_talent import ANSWERS, apply, decide

pytestmark = pytest.mark.django_db


def bearer(actor):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=actor, name='api')[1]}"}


@pytest.fixture
def talent_call(stic):
    from shuangchuang.programmes.tests.test_talent import TALENT_FORM
    from shuangchuang.programmes.tests.conftest import make_call, make_programme

    return make_call(make_programme(stic, code="peacock-b", name="孔雀计划B类"), form_schema=TALENT_FORM,
                     attachments=[], rule={}, person_applicants=True, employer_field="employer_uscc",
                     stages=["formal_check", "committee"], max_award_fen=2_000_000_00, budget_fen=100_000_000_00,
                     instalments=[{"share": "1", "months": 0}])


@pytest.fixture
def talent(db):
    return actor_for(make_user("talent-zhao", full_name="赵七", id_no=id_number(611)), None)


@pytest.fixture
def other_talent(db):
    return actor_for(make_user("talent-qian", full_name="钱八", id_no=id_number(612)), None)


class TestTheApiForAPerson:
    def test_a_person_lists_and_reads_his_own_applications_with_a_token_of_no_organisation(
            self, client, talent, other_talent, talent_call):
        mine = apply(talent, talent_call)
        apply(other_talent, talent_call, key="PEACOCK-QIAN")
        headers = bearer(talent)
        rows = client.get("/api/v1/programmes/applications", **headers).json()
        assert [r["id"] for r in rows] == [mine.pk]
        assert rows[0]["applicant"] == "赵七" and rows[0]["uscc"] == ""
        detail = client.get(f"/api/v1/programmes/applications/{mine.pk}", **headers)
        assert detail.status_code == 200 and detail.json()["state"] == State.SUBMITTED
        assert "withdraw" in detail.json()["transitions"]

    def test_a_person_filters_his_list_by_state(self, client, talent, talent_call):
        apply(talent, talent_call)
        headers = bearer(talent)
        assert client.get("/api/v1/programmes/applications?state=draft", **headers).json() == []
        assert len(client.get("/api/v1/programmes/applications?state=submitted", **headers).json()) == 1

    def test_another_person_cannot_read_or_step_the_application_and_nothing_changes(
            self, client, talent, other_talent, rep, talent_call):
        mine = apply(talent, talent_call)
        for actor in (other_talent, rep):
            headers = bearer(actor)
            assert client.get(f"/api/v1/programmes/applications/{mine.pk}", **headers).status_code == 403
            response = client.post(f"/api/v1/programmes/applications/{mine.pk}/transitions",
                                   data={"transition": "withdraw"}, content_type="application/json", **headers)
            assert response.status_code == 403
        assert Application.objects.get(pk=mine.pk).state == State.SUBMITTED

    def test_a_person_withdraws_through_the_api(self, client, talent, talent_call):
        mine = apply(talent, talent_call)
        response = client.post(f"/api/v1/programmes/applications/{mine.pk}/transitions",
                               data={"transition": "withdraw"}, content_type="application/json", **bearer(talent))
        assert response.status_code == 200 and response.json()["state"] == State.WITHDRAWN


class TestOpenCallsForAPerson:
    def test_a_person_sees_the_open_talent_calls_with_the_conditions_of_the_form(self, talent, talent_call, call):
        found = open_calls_for_person(talent.user)
        assert [o.call.pk for o in found] == [talent_call.pk]  # the enterprise call is not offered to a person
        explanation = found[0].explanation
        requirements = [c["requirement"] for c in explanation["conditions"]]
        assert "Age: at least 18; at most 55" in requirements
        assert explanation["outcome"] == "unknown" and found[0].eligible
        assert explanation["conditions"][-1]["outcome"] == "pass"  # the account's real-name data

    def test_an_account_without_a_valid_id_number_is_told_it_cannot_apply(self, db, talent_call):
        from shuangchuang.core.models import User

        nobody = make_user("no-id", full_name="无证")
        User.objects.filter(pk=nobody.pk).update(id_number="123")
        nobody.refresh_from_db()
        found = open_calls_for_person(nobody)
        assert found[0].explanation["outcome"] == "fail" and found[0].eligible is False

    def test_the_api_lists_the_calls_that_fit_me(self, client, talent, talent_call, call):
        rows = client.get("/api/v1/programmes/calls/for-me", **bearer(talent)).json()
        assert [r["call"]["id"] for r in rows] == [talent_call.pk]
        assert rows[0]["explanation"]["person"] is True

    def test_the_api_lists_an_enterprises_calls_with_the_rules_explanation(self, client, rep, firm, call,
                                                                          talent_call):
        rows = client.get("/api/v1/programmes/calls/for-me", **bearer(rep)).json()
        by_id = {r["call"]["id"]: r for r in rows}
        assert by_id[call.pk]["eligible"] is True and by_id[call.pk]["explanation"]["outcome"] == "pass"

    def test_the_calls_that_fit_me_need_a_log_in(self, client, talent_call):
        assert client.get("/api/v1/programmes/calls/for-me").status_code == 401

    def test_the_programmes_page_shows_a_person_the_talent_calls_to_apply_to(self, client, login, talent,
                                                                             talent_call, call):
        login(talent.user)
        page = client.get(reverse("programmes:index")).content.decode()
        assert "Open calls that fit you" in page and talent_call.title in page
        assert reverse("programmes:apply", args=[talent_call.pk]) in page
        assert "Age: at least 18; at most 55" in page
        detail = client.get(reverse("programmes:call", args=[talent_call.pk])).content.decode()
        assert "Your eligibility" in detail and "decided from your answers when you submit" in detail


class TestTheExport:
    def test_the_export_names_the_person_as_the_applicant(self, client, login, talent, officer, talent_call):
        mine = apply(talent, talent_call)
        login(officer)
        body = client.get(reverse("programmes:applications"), {"export": "csv"}).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        row = next(r for r in rows if r[0] == mine.reference)
        assert row[2] == "赵七" and row[3] == ""

    def test_the_excel_export_names_the_person_too(self, client, login, talent, officer, talent_call):
        import openpyxl

        mine = apply(talent, talent_call)
        login(officer)
        response = client.get(reverse("programmes:applications"), {"export": "xlsx"})
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert (mine.reference, "赵七") in [(r[0], r[2]) for r in rows]

    def test_the_officers_list_finds_a_person_by_name(self, client, login, talent, officer, talent_call):
        apply(talent, talent_call)
        login(officer)
        page = client.get(reverse("programmes:applications"), {"q": "赵七"}).content.decode()
        assert "赵七" in page


def cap_parameter(department, value):
    from shuangchuang.policies.models import Parameter

    return Parameter.objects.create(key="peacock.person_cap", label="cap per person", kind="money", value=value,
                                    valid_from=datetime.date(2016, 1, 1), department=department)


class TestTheCapPerPerson:
    def test_without_a_cap_a_person_may_be_awarded_in_two_calls_of_a_year(self, talent, officer, talent_call, stic):
        from shuangchuang.programmes.tests.conftest import make_call

        decide(officer, apply(talent, talent_call))
        second = make_call(talent_call.programme, title="第二批", form_schema=talent_call.form_schema, attachments=[],
                           rule={}, person_applicants=True, stages=["formal_check", "committee"],
                           max_award_fen=2_000_000_00, budget_fen=100_000_000_00, instalments=[])
        assert decide(officer, apply(talent, second, key="PEACOCK-2")).state == State.AWARDED

    def test_the_calls_cap_refuses_a_submission_over_it_with_the_reason(self, talent, talent_call):
        talent_call = call_update(actor=SYSTEM, call=talent_call, person_annual_cap_fen=1_000_000_00)
        with pytest.raises(Conflict) as refused:
            apply(talent, talent_call)
        assert refused.value.code == "over_person_cap" and "1,000,000.00" in refused.value.message
        assert Application.objects.get().state == State.DRAFT

    def test_the_programme_parameter_counts_the_awards_of_the_year(self, talent, officer, talent_call, stic):
        from shuangchuang.programmes.services import programme_update
        from shuangchuang.programmes.tests.conftest import make_call

        cap_parameter(stic, 3_000_000_00)
        programme_update(actor=SYSTEM, programme=talent_call.programme,
                         person_annual_cap_parameter="peacock.person_cap")
        decide(officer, apply(talent, talent_call))
        second = make_call(talent_call.programme, title="第二批", form_schema=talent_call.form_schema, attachments=[],
                           rule={}, person_applicants=True, stages=["formal_check", "committee"],
                           max_award_fen=2_000_000_00, budget_fen=100_000_000_00, instalments=[])
        with pytest.raises(Conflict) as refused:
            apply(talent, second, key="PEACOCK-2")
        assert refused.value.code == "over_person_cap" and "2,000,000.00" in refused.value.message
        smaller = application_create(actor=talent, call=second, project_title="补充", requested_fen=1_000_000_00,
                                     project_key="PEACOCK-3", answers=ANSWERS)
        assert application_transition(actor=talent, application=smaller, transition="submit").state == "submitted"

    def test_a_parameter_not_set_on_the_date_means_no_cap(self, talent, talent_call, stic):
        from shuangchuang.programmes.services import programme_update

        cap_parameter(stic, None)
        programme_update(actor=SYSTEM, programme=talent_call.programme,
                         person_annual_cap_parameter="peacock.person_cap")
        assert apply(talent, talent_call).state == State.SUBMITTED

    def test_the_cap_is_checked_again_at_the_proposal(self, talent, officer, talent_call):
        application = apply(talent, talent_call)
        application = application_transition(actor=officer, application=application, transition="accept")
        call_update(actor=SYSTEM, call=talent_call, person_annual_cap_fen=500_000_00)
        application = Application.objects.get(pk=application.pk)
        with pytest.raises(Conflict):
            application_transition(actor=officer, application=application, transition="propose",
                                   amount_fen=1_000_000_00)
        assert Application.objects.get(pk=application.pk).proposed_fen is None
        done = application_transition(actor=officer, application=application, transition="propose",
                                      amount_fen=500_000_00)
        assert done.state == State.PROPOSED


class TestClawbacksAndTheCapPerPerson:
    def test_an_amount_clawed_back_no_longer_counts_against_the_cap_per_person(self, talent, officer, talent_call):
        from shuangchuang.programmes.services import clawback_record
        from shuangchuang.programmes.services.checks import person_counted
        from shuangchuang.programmes.tests.conftest import make_call

        call_update(actor=SYSTEM, call=talent_call, person_annual_cap_fen=3_000_000_00)
        first = decide(officer, apply(talent, talent_call))
        second = make_call(talent_call.programme, title="第二批", form_schema=talent_call.form_schema, attachments=[],
                           rule={}, person_applicants=True, stages=["formal_check", "committee"],
                           max_award_fen=2_000_000_00, budget_fen=100_000_000_00, instalments=[],
                           person_annual_cap_fen=3_000_000_00)
        with pytest.raises(Conflict) as refused:  # 2,000,000 awarded + 2,000,000 > 3,000,000
            apply(talent, second, key="PEACOCK-2")
        assert refused.value.code == "over_person_cap"
        clawback_record(actor=officer, award=first.award, amount_fen=1_000_000_00, reason="离职，未满服务期")
        later = Application.objects.get(call=second)
        assert person_counted(later, second.year) == 1_000_000_00  # 2,000,000 awarded − 1,000,000 clawed back
        assert application_transition(actor=talent, application=later, transition="submit").state == State.SUBMITTED

    def test_a_partial_clawback_still_counts_the_rest(self, talent, officer, talent_call):
        from shuangchuang.programmes.services import clawback_record
        from shuangchuang.programmes.tests.conftest import make_call

        first = decide(officer, apply(talent, talent_call))
        clawback_record(actor=officer, award=first.award, amount_fen=500_000_00, reason="部分追回")
        second = make_call(talent_call.programme, title="第二批", form_schema=talent_call.form_schema, attachments=[],
                           rule={}, person_applicants=True, stages=["formal_check", "committee"],
                           max_award_fen=2_000_000_00, budget_fen=100_000_000_00, instalments=[],
                           person_annual_cap_fen=3_000_000_00)
        with pytest.raises(Conflict) as refused:  # 1,500,000 still counted + 2,000,000 > 3,000,000
            apply(talent, second, key="PEACOCK-2")
        assert refused.value.code == "over_person_cap" and "1,500,000.00 yuan already" in refused.value.message
        assert Application.objects.get(call=second).state == State.DRAFT
