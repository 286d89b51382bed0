"""The programmes demo loads on a small synthetic city with every configured programme: Peacock calls for persons,
loan-interest calls with the calculator, the space call with lease offers, and the 创客空间 call's applications in
every stage."""

import io

import pytest
from django.core.management import call_command

from shuangchuang.programmes.models import Application, Call, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("demo", enterprises=300, seed=1, stdout=out)
    return out.getvalue()


def test_the_demo_configures_every_programme_as_data(demo):
    calls = {c.programme.code: c for c in Call.objects.select_related("programme")}
    assert calls["peacock-b"].person_applicants and calls["peacock-b"].employer_field == "employer_uscc"
    age = next(f for f in calls["peacock-b"].form_schema["fields"] if f["key"] == "age")
    assert age["max"] == 55 and "max" not in next(f for f in calls["peacock-a"].form_schema["fields"]
                                                  if f["key"] == "age")
    assert calls["startup-loan-interest"].mechanism == "loan_interest"
    assert calls["startup-loan-interest"].rate_parameter == "loan.interest_subsidy_share"
    assert calls["innovative-space"].mechanism == "space_lease"
    maker = calls["maker-space-build"]
    states = set(Application.objects.filter(call=maker).values_list("state", flat=True))
    assert {State.DRAFT, State.AWARDED} <= states


def test_the_demo_applies_to_the_loan_interest_calls_with_statements_the_calculator_computes(demo):
    from shuangchuang.programmes.services.interest import loan_interest_subsidy

    loans = Application.objects.filter(call__programme__code="startup-loan-interest").select_related("call")
    assert loans.count() >= 1
    with_statements = [a for a in loans if a.answers.get("interest_statements")]
    working = loan_interest_subsidy(call=with_statements[0].call, answers=with_statements[0].answers)
    assert working.method == "statements" and working.subsidy_fen and working.subsidy_fen > 0
    proposed = loans.filter(state=State.PROPOSED).first()
    assert proposed is not None and proposed.proposed_fen == working.subsidy_fen
    assert Application.objects.filter(call__programme__code="ip-pledge-interest").exists()


def test_the_demo_space_call_has_ranked_awards_and_one_lease_offer(demo):
    from shuangchuang.programmes.models import LeaseOffer

    space = Application.objects.filter(call__programme__code="innovative-space")
    assert space.filter(state=State.AWARDED).exists() and space.filter(rank__isnull=False).count() >= 2, demo
    offers = LeaseOffer.objects.filter(application__call__programme__code="innovative-space")
    assert offers.count() == 1 and offers.get().application.rank == 1


def test_the_demo_talent_applies_in_person_to_peacock_b(demo):
    mine = Application.objects.get(person__username="demo-talent")
    assert mine.call.programme.code == "peacock-b" and mine.state == State.SUBMITTED
    assert mine.enterprise_id is None and mine.screening_evidence
