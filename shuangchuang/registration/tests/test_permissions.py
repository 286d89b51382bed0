"""The role matrix: anonymous visitors, another enterprise and an officer of another department can neither
review, change nor decide anything; each refused attempt leaves every record and the audit log as they were."""

import datetime

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import actor_for
from shuangchuang.registration.models import Application, Custodian, Deregistration, Objection
from shuangchuang.registration.services import (
    application_transition,
    application_update,
    bar_record,
    change_apply,
    custodian_decide,
    deregistration_start,
    deregistration_transition,
    objection_resolve,
)
from shuangchuang.registration.tests.conftest import complete_data, pdf
from shuangchuang.registry.models import Enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def submitted(application, founder_actor):
    application_transition(actor=founder_actor, application=application, transition="submit")
    return application


@pytest.fixture
def applied(firm_a):
    file = deregistration_start(actor=firm_a["actor"], enterprise=firm_a["enterprise"], ground="no_debts",
                                promise=pdf(), on=D(2026, 10, 1))
    deregistration_transition(actor=firm_a["actor"], deregistration=file, transition="apply", on=D(2026, 10, 25))
    return file


@pytest.fixture
def custodian(firm_a):
    return Custodian.objects.create(organisation=firm_a["org"], enterprise=firm_a["enterprise"],
                                    authority=firm_a["enterprise"].registration_authority, address="深圳市福田区1号",
                                    checks=[{"code": "x", "ok": True, "message": "ok"}])


@pytest.fixture
def outsiders(firm_b, officer_stic, stic):
    return {
        "anonymous": Actor.anonymous(),
        "another enterprise": firm_b["actor"],
        "an officer of another department": actor_for(officer_stic, stic),
    }


def snapshot():
    return (list(Application.objects.values_list("id", "state", "name", "uscc")),
            list(Deregistration.objects.values_list("id", "state", "extended_to")),
            list(Custodian.objects.values_list("id", "state")), list(Objection.objects.values_list("id", "state")),
            list(Enterprise.objects.values_list("id", "status", "name")), AuditEvent.objects.count())


OPERATIONS = {
    "approve an application": lambda a, s, d, c, f: application_transition(actor=a, application=s,
                                                                          transition="approve"),
    "refuse an application": lambda a, s, d, c, f: application_transition(actor=a, application=s,
                                                                         transition="reject", note="no"),
    "withdraw someone's application": lambda a, s, d, c, f: application_transition(actor=a, application=s,
                                                                                  transition="withdraw"),
    "edit someone's application": lambda a, s, d, c, f: application_update(actor=a, application=s,
                                                                           data=complete_data(name="改名")),
    "deregister an enterprise": lambda a, s, d, c, f: deregistration_transition(actor=a, deregistration=d,
                                                                               transition="approve"),
    "withdraw a deregistration": lambda a, s, d, c, f: deregistration_transition(actor=a, deregistration=d,
                                                                                transition="withdraw"),
    "start another firm's deregistration": lambda a, s, d, c, f: deregistration_start(
        actor=a, enterprise=f["enterprise"], ground="no_debts", promise=pdf()),
    "change another firm's registration": lambda a, s, d, c, f: change_apply(
        actor=a, enterprise=f["enterprise"], data=complete_data(items=["address"])),
    "approve a custodian": lambda a, s, d, c, f: custodian_decide(actor=a, custodian=c, decision="approve"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("who", ["anonymous", "another enterprise", "an officer of another department"])
def test_outsiders_change_nothing(operation, who, outsiders, submitted, applied, custodian, firm_a):
    before = snapshot()
    with pytest.raises(NotAllowed):
        OPERATIONS[operation](outsiders[who], submitted, applied, custodian, firm_a)
    assert snapshot() == before


def test_the_applicant_cannot_approve_their_own_application(submitted, founder_actor):
    before = snapshot()
    with pytest.raises(NotAllowed):
        application_transition(actor=founder_actor, application=submitted, transition="approve")
    assert snapshot() == before


def test_staff_of_the_enterprise_cannot_deregister_it(firm_a):
    from shuangchuang.core.models import Role
    from shuangchuang.core.tests.factories import grant, make_user

    staff = make_user("staff-a", full_name="甲员工")
    grant(staff, firm_a["org"], Role.STAFF)
    with pytest.raises(NotAllowed, match="legal representative or administrator"):
        deregistration_start(actor=actor_for(staff, firm_a["org"]), enterprise=firm_a["enterprise"],
                             ground="no_debts", promise=pdf())
    assert not Deregistration.objects.exists()


def test_only_the_authority_resolves_objections(applied, outsiders):
    objection = Objection.objects.create(deregistration=applied, kind="public", name="x", contact="y", reason="z")
    for actor in outsiders.values():
        with pytest.raises(NotAllowed):
            objection_resolve(actor=actor, objection=objection, decision="upheld", note="n")
    objection.refresh_from_db()
    assert objection.state == "open"


def test_bars_are_recorded_by_department_officers_only(firm_a, firm_b):
    for actor in (Actor.anonymous(), firm_b["actor"]):
        with pytest.raises(NotAllowed):
            bar_record(actor=actor, enterprise=firm_a["enterprise"], kind="unpaid_fine", since=D(2026, 1, 1))


@pytest.mark.parametrize("who", ["anonymous", "another enterprise", "an officer of another department"])
def test_outsiders_do_not_see_an_application_page(who, submitted, firm_b, officer_stic, stic, client, login):
    if who == "another enterprise":
        login(firm_b["user"], firm_b["org"])
    elif who == "an officer of another department":
        login(officer_stic, stic)
    response = client.get(f"/registration/applications/{submitted.pk}/")
    assert response.status_code == 403
    assert submitted.name not in response.content.decode()
    response = client.post(f"/registration/applications/{submitted.pk}/step/", {"transition": "approve"})
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
