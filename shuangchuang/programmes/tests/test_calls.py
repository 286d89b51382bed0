"""Programmes and calls: configuration is validated on save, published calls keep the rules applicants relied on,
only the owning department changes them; the daily reminders job."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.programmes.models import Call, CallStatus, Programme
from shuangchuang.programmes.services import call_publish, call_update, programme_create, programme_update
from shuangchuang.programmes.services.checks import max_award
from shuangchuang.programmes.tests.conftest import make_call, make_programme, submitted

pytestmark = pytest.mark.django_db


def test_an_officer_creates_a_programme_of_their_department_only(officer, stic, mqsa):
    programme = programme_create(actor=officer, department=stic, code="p1", name="创客项目资助")
    assert programme.department == stic
    with pytest.raises(NotAllowed):
        programme_create(actor=officer, department=mqsa, code="p2", name="别的部门")
    with pytest.raises(NotAllowed):
        programme_create(actor=Actor.anonymous(), department=stic, code="p3", name="匿名")
    assert Programme.objects.count() == 1


def test_a_programme_code_is_unique_and_a_cap_parameter_must_exist(officer, stic, programme):
    with pytest.raises(Conflict):
        programme_create(actor=officer, department=stic, code=programme.code, name="重复")
    with pytest.raises(ServiceError) as caught:
        programme_update(actor=officer, programme=programme, annual_cap_parameter="no.such.key")
    assert caught.value.code == "unknown_parameter"


@pytest.mark.parametrize("changes, code", [
    ({"online_closes_at": timezone.now() - datetime.timedelta(days=5)}, "window_order"),
    ({"budget_fen": -1}, "invalid_amount"),
    ({"rule": {"all": [{"fact": "colour", "op": "in", "value": ["red"]}]}}, "invalid_rule"),
    ({"form_schema": {"fields": [{"key": "a", "type": "colour", "label": "A"}]}}, "invalid_form_schema"),
    ({"criteria": [{"key": "a", "label": "A", "max": 0}]}, "invalid_criteria"),
    ({"attachments": [{"key": "A B", "label": "x"}]}, "invalid_attachments"),
    ({"stages": ["teleport"]}, "invalid_stages"),
    ({"stages": ["publicity"], "publicity_days": None}, "publicity_days_required"),
    ({"instalments": [{"share": "0.5", "months": 0}]}, "invalid_instalments"),
    ({"colour": "red"}, "unknown_fields"),
])
def test_a_bad_call_configuration_is_refused_and_nothing_changes(officer, programme, changes, code):
    call = make_call(programme, publish=False)
    before = Call.objects.filter(pk=call.pk).values().get()
    with pytest.raises(ServiceError) as caught:
        call_update(actor=officer, call=call, **changes)
    assert caught.value.code == code
    assert Call.objects.filter(pk=call.pk).values().get() == before


def test_the_rules_of_a_call_with_applications_are_frozen_but_dates_may_move(officer, rep, firm, call):
    submitted(rep, call)
    with pytest.raises(Conflict):
        call_update(actor=officer, call=call, rule={"all": []})
    later = call.online_closes_at + datetime.timedelta(days=7)
    assert call_update(actor=officer, call=call, online_closes_at=later).online_closes_at == later


def test_another_department_cannot_change_or_publish_a_call(other_officer, programme):
    call = make_call(programme, publish=False)
    with pytest.raises(NotAllowed):
        call_update(actor=other_officer, call=call, title="改名")
    with pytest.raises(NotAllowed):
        call_publish(actor=other_officer, call=call)
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_a_maximum_left_to_a_parameter_reads_the_effective_dated_value(stic):
    from shuangchuang.policies.models import Parameter

    Parameter.objects.create(key="test.cap", label="测试上限", kind="money", value=500_000_00,
                             valid_from=datetime.date(2015, 1, 1), department=stic)
    Parameter.objects.create(key="test.gap", label="未定上限", kind="money", value=None,
                             valid_from=datetime.date(2015, 1, 1), department=stic)
    programme = make_programme(stic, code="param")
    assert max_award(make_call(programme, max_award_fen=None, max_award_parameter="test.cap")) == 500_000_00
    assert max_award(make_call(programme, max_award_fen=None, max_award_parameter="test.gap")) is None


def test_the_daily_job_sends_the_reminders(db):
    out = StringIO()
    call_command("programmes_daily", stdout=out)
    assert "progress report reminders: 0" in out.getvalue()


SPACE_INSTALMENTS = [{"share": "0.5", "months": 0}, {"share": "0.5", "months": 12}]


def test_a_space_call_with_payment_instalments_is_refused_on_the_instalments_field(officer, programme):
    with pytest.raises(ServiceError) as caught:
        make_call(programme, publish=False, mechanism="space_lease", instalments=SPACE_INSTALMENTS)
    assert (caught.value.code, caught.value.field) == ("space_no_instalments", "instalments")
    assert "rent discount" in caught.value.message
    assert not Call.objects.exists()


@pytest.mark.parametrize("start, changes", [
    ({"instalments": SPACE_INSTALMENTS}, {"mechanism": "space_lease"}),
    ({"mechanism": "space_lease"}, {"instalments": SPACE_INSTALMENTS}),
])
def test_a_call_cannot_become_a_space_call_with_instalments_and_nothing_changes(officer, programme, start, changes):
    call = make_call(programme, publish=False, **start)
    before = Call.objects.filter(pk=call.pk).values().get()
    with pytest.raises(ServiceError) as caught:
        call_update(actor=officer, call=call, **changes)
    assert (caught.value.code, caught.value.field) == ("space_no_instalments", "instalments")
    assert Call.objects.filter(pk=call.pk).values().get() == before


def test_the_call_form_shows_the_space_instalments_error_on_its_field(client, login, officer, programme):
    from django.urls import reverse

    login(officer)
    response = client.post(reverse("programmes:call_new", args=[programme.pk]), {
        "title": "创新型产业用房配租", "year": "2026", "online_opens_at": "2026-11-01T09:00",
        "online_closes_at": "2026-12-31T17:00", "budget": "1000000", "reviewers_per_application": "3",
        "aggregation": "mean", "stages": ["formal_check", "committee"], "mechanism": "space_lease",
        "instalments": '[{"share": "1", "months": 0}]'})
    assert response.status_code == 400
    form = response.context["form"]
    assert "rent discount" in " ".join(form.errors["instalments"])
    assert not Call.objects.exists()
