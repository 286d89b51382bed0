"""Loan-interest subsidies: the interest actually paid, computed from the loan (or summed from the bank's
statements), the share valid on each period's last day (a GAP leaves it to the officer), the cap, and the
proposal on the officer's page — checked against worked examples derived by hand."""

import datetime
from decimal import Decimal

import pytest

from shuangchuang.programmes.services.interest import interest_schedule, loan_interest_subsidy, to_fen
from shuangchuang.programmes.tests.conftest import make_call

pytestmark = pytest.mark.django_db

LOAN_FORM = {"fields": [
    {"key": "loan_amount", "type": "money", "label": "Loan amount", "required": True, "min": 0},
    {"key": "annual_rate", "type": "number", "label": "Annual rate (%)", "required": True, "min": 0, "max": 100},
    {"key": "drawdown_on", "type": "date", "label": "Drawdown date", "required": True},
    {"key": "interest_until", "type": "date", "label": "End of the period claimed"},
    {"key": "repayments", "type": "table", "label": "Repayments", "max_rows": 50,
     "columns": [{"key": "on", "type": "date", "label": "Date", "required": True},
                 {"key": "principal", "type": "money", "label": "Principal repaid", "required": True}]},
    {"key": "interest_statements", "type": "table", "label": "Interest statements", "max_rows": 50,
     "columns": [{"key": "paid_on", "type": "date", "label": "Paid on", "required": True},
                 {"key": "interest", "type": "money", "label": "Interest", "required": True}]},
]}

# Worked example 1: 1,000,000.00 yuan at 3.6 %, drawn 2025-01-01; 500,000.00 repaid 2025-07-01, the rest
# 2025-12-31. 2025-01-01 → 07-01 = 181 days: 1,000,000 × 0.036 × 181 / 360 = 18,100.00;
# 07-01 → 12-31 = 183 days: 500,000 × 0.036 × 183 / 360 = 9,150.00; interest 27,250.00; at 50 %: 13,625.00.
EXAMPLE = {"loan_amount": 1_000_000_00, "annual_rate": "3.6", "drawdown_on": "2025-01-01",
           "repayments": [{"on": "2025-07-01", "principal": 500_000_00},
                          {"on": "2025-12-31", "principal": 500_000_00}]}

EXAMPLE_TYPED = {"loan_amount": "1000000", "annual_rate": "3.6", "drawdown_on": "2025-01-01",  # as typed: yuan
                 "repayments": [{"on": "2025-07-01", "principal": "500000"},
                                {"on": "2025-12-31", "principal": "500000"}]}


@pytest.fixture
def share_parameter(stic):
    """The start-up loan share: a GAP before 2024-09-30, 0.5 from then (POLICY-FACTS §11)."""
    from shuangchuang.policies.models import Parameter

    Parameter.objects.create(key="loan.interest_subsidy_share", label="share", kind="decimal", value=None,
                             valid_from=datetime.date(2016, 8, 8), valid_to=datetime.date(2024, 9, 29),
                             department=stic)
    Parameter.objects.create(key="loan.interest_subsidy_share", label="share", kind="decimal", value="0.5",
                             valid_from=datetime.date(2024, 9, 30), department=stic)


@pytest.fixture
def loan_call(programme, share_parameter):
    return make_call(programme, form_schema=LOAN_FORM, attachments=[], mechanism="loan_interest",
                     rate_parameter="loan.interest_subsidy_share",
                     stages=["formal_check", "committee"], max_award_fen=None)


class TestTheInterest:
    def test_interest_runs_on_the_outstanding_balance_for_the_actual_days(self):
        periods = interest_schedule(principal_fen=1_000_000_00, annual_rate_percent=Decimal("3.6"),
                                    drawdown_on=datetime.date(2025, 1, 1),
                                    repayments=[(datetime.date(2025, 7, 1), 500_000_00),
                                                (datetime.date(2025, 12, 31), 500_000_00)])
        assert [(p.days, p.balance_fen, p.interest_fen) for p in periods] == [
            (181, 1_000_000_00, 18_100_00), (183, 500_000_00, 9_150_00)]
        assert "181 days" in periods[0].text and "18,100.00" in periods[0].text

    def test_a_365_day_basis_and_rounding_half_up_on_the_total(self):
        # 300,000.00 at 4.35 % for 31 days on 365: 300,000 × 0.0435 × 31 / 365 = 1,108.356… → 1,108.36
        periods = interest_schedule(principal_fen=300_000_00, annual_rate_percent=Decimal("4.35"),
                                    drawdown_on=datetime.date(2025, 3, 1), repayments=[],
                                    until=datetime.date(2025, 4, 1), day_basis=365)
        assert to_fen(sum(p.interest for p in periods)) == 1_108_36

    def test_interest_stops_at_the_end_of_the_period_claimed(self):
        periods = interest_schedule(principal_fen=1_000_000_00, annual_rate_percent=Decimal("3.6"),
                                    drawdown_on=datetime.date(2025, 1, 1),
                                    repayments=[(datetime.date(2025, 12, 31), 1_000_000_00)],
                                    until=datetime.date(2025, 3, 2))  # 60 days → 6,000.00
        assert [p.interest_fen for p in periods] == [6_000_00]


class TestTheSubsidy:
    def test_half_of_the_interest_when_the_share_is_set(self, loan_call):
        working = loan_interest_subsidy(call=loan_call, answers=EXAMPLE)
        assert working.method == "schedule" and working.interest_fen == 27_250_00
        assert working.subsidy_fen == 13_625_00 and working.cap_fen is None
        assert [str(p.share) for p in working.periods] == ["0.5", "0.5"]

    def test_a_period_in_the_gap_leaves_the_subsidy_to_the_officer(self, loan_call):
        answers = dict(EXAMPLE, drawdown_on="2024-01-01",
                       repayments=[{"on": "2024-07-01", "principal": 1_000_000_00}])
        working = loan_interest_subsidy(call=loan_call, answers=answers)
        assert working.interest_fen is not None and working.subsidy_fen is None
        assert "2024-07-01" in working.notes[0]
        officer_set = loan_interest_subsidy(call=loan_call, answers=answers, share=Decimal("0.6"))
        # 2024-01-01 → 07-01 = 182 days: 1,000,000 × 0.036 × 182 / 360 = 18,200.00; × 0.6 = 10,920.00
        assert (officer_set.interest_fen, officer_set.subsidy_fen) == (18_200_00, 10_920_00)

    def test_the_bank_statements_replace_the_schedule_and_the_cap_applies(self, loan_call):
        loan_call.max_award_fen = 10_000_00
        answers = {"interest_statements": [{"paid_on": "2025-03-21", "interest": 8_900_00},
                                           {"paid_on": "2025-06-21", "interest": 9_000_55}]}
        working = loan_interest_subsidy(call=loan_call, answers=answers)
        assert working.method == "statements" and working.interest_fen == 17_900_55
        assert working.subsidy_before_cap_fen == 8_950_28  # 8,950.275 rounded half up
        assert working.subsidy_fen == 8_950_28
        answers["interest_statements"].append({"paid_on": "2025-09-21", "interest": 9_000_00})
        capped = loan_interest_subsidy(call=loan_call, answers=answers)
        assert capped.subsidy_before_cap_fen == 13_450_28 and capped.subsidy_fen == 10_000_00
        assert "10,000.00" in capped.notes[0]

    @pytest.mark.parametrize("answers,expected", [
        ({}, "Loan amount"),
        (dict(EXAMPLE, annual_rate="abc"), "Annual rate"),
        (dict(EXAMPLE, annual_rate="0"), "percentage"),
        (dict(EXAMPLE, repayments=[{"on": "2024-01-01", "principal": 1_00}]), "before the drawdown"),
        (dict(EXAMPLE, repayments=[{"on": "2025-02-01", "principal": 2_000_000_00}]), "more than the loan"),
    ])
    def test_unusable_answers_say_what_is_wrong_and_propose_nothing(self, loan_call, answers, expected):
        working = loan_interest_subsidy(call=loan_call, answers=answers)
        assert working.subsidy_fen is None and expected in working.notes[0]


class TestOnTheOfficersPage:
    def test_the_working_is_shown_and_the_amount_proposed_is_prefilled(self, rep, officer, firm, loan_call, login):
        from shuangchuang.programmes.services import application_create, application_transition

        application = application_create(actor=rep, call=loan_call, project_title="创业担保贷款贴息",
                                         requested_fen=20_000_00, project_key="LOAN-1", answers=EXAMPLE_TYPED)
        application = application_transition(actor=rep, application=application, transition="submit")
        application_transition(actor=officer, application=application, transition="accept")
        page = login(officer).get(f"/programmes/manage/applications/{application.pk}/")
        body = page.content.decode()
        assert page.status_code == 200
        assert "27,250.00" in body and "13,625.00" in body and "181 days" in body
        assert 'value="13625.00"' in body
        shared = login(officer).get(f"/programmes/manage/applications/{application.pk}/?share=0.6")
        assert "16,350.00" in shared.content.decode()  # 27,250.00 × 0.6

    def test_the_api_gives_the_working_to_officers_only(self, rep, officer, other_rep, firm, loan_call, client):
        from shuangchuang.programmes.services import application_create

        application = application_create(actor=rep, call=loan_call, project_title="贴息", requested_fen=20_000_00,
                                         answers=EXAMPLE_TYPED)
        from shuangchuang.programmes.tests.test_api import bearer

        found = client.get(f"/api/v1/programmes/applications/{application.pk}/interest", **bearer(officer))
        assert found.status_code == 200 and found.json()["subsidy_fen"] == 13_625_00
        assert found.json()["periods"][0]["days"] == 181
        denied = client.get(f"/api/v1/programmes/applications/{application.pk}/interest", **bearer(other_rep))
        assert denied.status_code == 403

    def test_the_api_refuses_a_share_that_is_not_a_decimal_between_0_and_1(self, rep, officer, firm, loan_call,
                                                                          client):
        from shuangchuang.programmes.services import application_create
        from shuangchuang.programmes.tests.test_api import bearer

        application = application_create(actor=rep, call=loan_call, project_title="贴息", requested_fen=20_000_00,
                                         answers=EXAMPLE_TYPED)
        url = f"/api/v1/programmes/applications/{application.pk}/interest"
        headers = bearer(officer)
        for share in ("NaN", "Infinity", "-0.1", "1.5", "abc"):
            response = client.get(url, {"share": share}, **headers)
            assert response.status_code == 400, share
            assert response.json()["error"]["code"] == "invalid_share" and response.json()["error"]["field"] == "share"
        assert client.get(url, {"share": "0.6"}, **headers).json()["subsidy_fen"] == 16_350_00


class TestTheProposal:
    def test_the_proposal_cannot_exceed_the_computed_subsidy(self, rep, officer, firm, loan_call):
        from shuangchuang.core.errors import Conflict
        from shuangchuang.programmes.models import Application
        from shuangchuang.programmes.services import application_create, application_transition

        application = application_create(actor=rep, call=loan_call, project_title="贴息", requested_fen=20_000_00,
                                         project_key="LOAN-2", answers=EXAMPLE_TYPED)
        application = application_transition(actor=rep, application=application, transition="submit")
        application = application_transition(actor=officer, application=application, transition="accept")
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=application, transition="propose",
                                   amount_fen=13_625_01)
        assert "13,625.00" in caught.value.message and "27,250.00" in caught.value.message
        assert Application.objects.get(pk=application.pk).proposed_fen is None
        done = application_transition(actor=officer, application=application, transition="propose",
                                      amount_fen=13_625_00)
        assert done.proposed_fen == 13_625_00


# The same loan on a 365-day year: 1,000,000 × 0.036 × 181 / 365 + 500,000 × 0.036 × 183 / 365
# = 17,852.0548 + 9,024.6575 = 26,876.71 (rounded once, on the total); at 50 %: 13,438.36.
class TestTheDayCountOfTheCall:
    def test_a_call_counts_360_days_a_year_unless_the_officer_sets_365(self, loan_call):
        from shuangchuang.programmes.services import call_update
        from shuangchuang.programmes.tests.conftest import SYSTEM

        assert loan_call.day_basis == 360
        working = loan_interest_subsidy(call=loan_call, answers=EXAMPLE)
        assert (working.day_basis, working.interest_fen) == (360, 27_250_00)
        assert "360" in working.day_basis_source and "call" in working.day_basis_source
        call = call_update(actor=SYSTEM, call=loan_call, day_basis=365)
        working = loan_interest_subsidy(call=call, answers=EXAMPLE)
        assert (working.day_basis, working.interest_fen, working.subsidy_fen) == (365, 26_876_71, 13_438_36)
        assert "÷ 365" in working.periods[0].text
        assert working.as_dict()["day_basis"] == 365

    def test_a_day_count_the_form_asks_for_is_the_loans_own_and_overrides_the_call(self, loan_call):
        working = loan_interest_subsidy(call=loan_call, answers=dict(EXAMPLE, day_basis="365"))
        assert (working.day_basis, working.interest_fen) == (365, 26_876_71)
        assert "answer" in working.day_basis_source

    @pytest.mark.parametrize("value", ["abc", "366", "1e400", "nan"])
    def test_an_unusable_day_count_answer_is_explained_and_proposes_nothing(self, loan_call, value):
        working = loan_interest_subsidy(call=loan_call, answers=dict(EXAMPLE, day_basis=value))
        assert working.method == "" and working.subsidy_fen is None
        assert "360 or 365" in working.notes[0]

    def test_the_call_refuses_another_day_count_and_nothing_changes(self, loan_call):
        from shuangchuang.core.errors import ServiceError
        from shuangchuang.programmes.models import Call
        from shuangchuang.programmes.services import call_update
        from shuangchuang.programmes.tests.conftest import SYSTEM

        for value in (366, "365", None, True):
            with pytest.raises(ServiceError) as caught:
                call_update(actor=SYSTEM, call=loan_call, day_basis=value)
            assert (caught.value.code, caught.value.field) == ("invalid_day_basis", "day_basis")
        assert Call.objects.get(pk=loan_call.pk).day_basis == 360

    def test_the_officer_sets_the_day_count_on_the_call_form_and_sees_the_default(self, officer, loan_call, login):
        from django.urls import reverse

        from shuangchuang.programmes.forms import call_initial
        from shuangchuang.programmes.models import Call

        client = login(officer)
        page = client.get(reverse("programmes:call_manage", args=[loan_call.pk])).content.decode()
        assert 'name="day_basis"' in page and "360 days" in page
        data = {k: v for k, v in call_initial(loan_call).items() if v is not None}
        data.update(online_opens_at=loan_call.online_opens_at.strftime("%Y-%m-%dT%H:%M"),
                    online_closes_at=loan_call.online_closes_at.strftime("%Y-%m-%dT%H:%M"), day_basis="365")
        response = client.post(reverse("programmes:call_manage", args=[loan_call.pk]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Call.objects.get(pk=loan_call.pk).day_basis == 365

    def test_the_working_on_the_officers_page_states_the_day_count(self, rep, officer, firm, loan_call, login):
        from shuangchuang.programmes.services import application_create

        from shuangchuang.programmes.services import application_transition

        application = application_create(actor=rep, call=loan_call, project_title="创业担保贷款贴息",
                                         requested_fen=20_000_00, project_key="LOAN-1", answers=EXAMPLE_TYPED)
        application = application_transition(actor=rep, application=application, transition="submit")
        body = login(officer).get(f"/programmes/manage/applications/{application.pk}/").content.decode()
        assert "Day count" in body and "360 days a year (the call&#x27;s setting)" in body

    def test_the_call_page_states_the_day_count_of_a_loan_interest_call(self, client, loan_call):
        body = client.get(f"/programmes/calls/{loan_call.pk}/").content.decode()
        assert "Day count" in body and "360" in body

    def test_the_api_states_the_mechanism_and_day_count_of_a_call(self, client, loan_call):
        data = client.get(f"/api/v1/programmes/calls/{loan_call.pk}").json()
        assert (data["mechanism"], data["day_basis"]) == ("loan_interest", 360)
