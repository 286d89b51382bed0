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
    call_command("demo", enterprises=300, seed=1, stdout=io.StringIO())


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
