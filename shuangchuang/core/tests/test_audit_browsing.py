"""Browsing the audit log at /accounts/audit/: officers their department's events, platform admins all."""

import pytest
from django.db import transaction

from shuangchuang.core.audit import audit_record
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.permissions import can_view_audit_event
from shuangchuang.core.selectors import audit_events_for
from shuangchuang.core.tests.factories import SYSTEM, actor_for, platform

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def events(stic, mqsa):
    with transaction.atomic():
        return {
            "stic": audit_record(actor=SYSTEM, verb="test.stic_programme_opened", object_label="STIC-THING-1",
                                 department=stic),
            "mqsa": audit_record(actor=SYSTEM, verb="test.mqsa_registration", object_label="MQSA-THING-1",
                                 department=mqsa),
            "none": audit_record(actor=SYSTEM, verb="test.no_department", object_label="NO-DEPT-THING-1"),
        }


def labels(response):
    return {e.object_label for e in response.context["page"].object_list}


def test_officer_sees_only_own_department(login, officer_stic, officer_mqsa, stic, events):
    response = login(officer_stic).get("/accounts/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "STIC-THING-1" in html
    assert "MQSA-THING-1" not in html
    assert "NO-DEPT-THING-1" not in html
    shown = list(response.context["page"].object_list)
    assert shown and all(e.department_id == stic.pk for e in shown)
    assert "STIC-THING-1" in labels(response)


def test_other_officer_sees_the_other_department(login, officer_stic, officer_mqsa, mqsa, events):
    response = login(officer_mqsa).get("/accounts/audit/")
    assert "MQSA-THING-1" in labels(response)
    assert "STIC-THING-1" not in labels(response)
    assert all(e.department_id == mqsa.pk for e in response.context["page"].object_list)


def test_filter_by_verb(login, officer_stic, events):
    response = login(officer_stic).get("/accounts/audit/", {"verb": "test.stic"})
    assert labels(response) == {"STIC-THING-1"}
    response = login(officer_stic).get("/accounts/audit/", {"verb": "test.mqsa"})
    assert labels(response) == set()


def test_enterprise_user_refused_with_reason(login, rep_a, events):
    response = login(rep_a).get("/accounts/audit/")
    assert response.status_code == 403
    assert "Only department officers can browse the audit log." in response.content.decode()
    assert "STIC-THING-1" not in response.content.decode()


def test_platform_admin_sees_all(login, platform_admin, events):
    response = login(platform_admin).get("/accounts/audit/")
    assert response.status_code == 200
    assert {"STIC-THING-1", "MQSA-THING-1", "NO-DEPT-THING-1"} <= labels(response)
    assert response.context["page"].paginator.count == AuditEvent.objects.count()


def test_anonymous_sent_to_login(client, events):
    response = client.get("/accounts/audit/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_event_level_permission(officer_stic, stic, platform_admin, events):
    officer = actor_for(officer_stic, stic)
    assert can_view_audit_event(officer, events["stic"]) == (True, "")
    assert can_view_audit_event(officer, events["mqsa"]) == (False, "This event belongs to another department.")
    admin = actor_for(platform_admin, platform())
    assert can_view_audit_event(admin, events["mqsa"]) == (True, "")


def test_selector_for_admin_can_narrow_to_a_department(platform_admin, mqsa, events):
    admin = actor_for(platform_admin, platform())
    assert {e.object_label for e in audit_events_for(admin, department=mqsa)} >= {"MQSA-THING-1"}
    assert all(e.department_id == mqsa.pk for e in audit_events_for(admin, department=mqsa))


def test_page_query_count_does_not_grow_with_events(login, officer_stic, stic, django_assert_max_num_queries):
    with transaction.atomic():
        for i in range(30):
            audit_record(actor=SYSTEM, verb="test.many", object_label=f"E{i}", department=stic)
    client = login(officer_stic)
    with django_assert_max_num_queries(6):
        response = client.get("/accounts/audit/")
    assert len(response.context["page"].object_list) >= 30
