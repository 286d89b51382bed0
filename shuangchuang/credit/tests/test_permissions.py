"""The permission matrix: officers manage only their department's lists; nobody edits another department's
entries. Every refused attempt leaves everything as it was."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import actor_for, platform
from shuangchuang.credit.models import CreditList, ImportBatch, Job, ListEntry, Restriction
from shuangchuang.credit.services import (
    entry_create,
    entry_remove,
    entry_update,
    list_create,
    list_import_check,
    list_update,
    rescreen_start,
    restriction_create,
    restriction_update,
)
from shuangchuang.credit.tests.conftest import add_entry

pytestmark = pytest.mark.django_db


def upload():
    return SimpleUploadedFile("x.csv", "name,reason,listed_on\n深圳市某科技有限公司,拒不履行,2025-01-01\n".encode(),
                              content_type="text/csv")


OPERATIONS = {
    "change the list's rules": lambda actor, lst, entry: list_update(actor=actor, credit_list=lst, name="改名"),
    "add an entry": lambda actor, lst, entry: entry_create(actor=actor, credit_list=lst, name="深圳市新增科技有限公司",
                                                           reason="拒不履行", listed_on="2025-01-01"),
    "edit an entry": lambda actor, lst, entry: entry_update(actor=actor, entry=entry, reason="改写"),
    "remove an entry": lambda actor, lst, entry: entry_remove(actor=actor, entry=entry, reason="移出"),
    "add a restriction": lambda actor, lst, entry: restriction_create(
        actor=actor, credit_list=lst, action="voucher", valid_from=datetime.date(2026, 1, 1), legal_basis="x"),
    "end a restriction": lambda actor, lst, entry: restriction_update(
        actor=actor, restriction=lst.restrictions.first(), valid_to=datetime.date(2026, 1, 1)),
    "import a file": lambda actor, lst, entry: list_import_check(actor=actor, credit_list=lst, upload=upload()),
    "start a re-screen": lambda actor, lst, entry: rescreen_start(actor=actor, credit_list=lst),
}


def snapshot(credit_list: CreditList, entry: ListEntry) -> tuple:
    credit_list.refresh_from_db()
    entry.refresh_from_db()
    return (credit_list.name, credit_list.version, ListEntry.objects.count(), entry.version, entry.reason,
            entry.status, Restriction.objects.filter(credit_list=credit_list).count(),
            list(Restriction.objects.filter(credit_list=credit_list).values_list("valid_to", flat=True)),
            ImportBatch.objects.count(), Job.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def entry(dishonest):
    return add_entry(dishonest, name="深圳市被执行科技有限公司", reason="拒不履行")


@pytest.fixture
def outsiders(rep_a, enterprise_a, officer_stic, stic, officer_mqsa, mqsa):
    return {
        "anonymous": Actor.anonymous(),
        "another enterprise": actor_for(rep_a, enterprise_a),
        "an officer of another department": actor_for(officer_stic, stic),
        "an officer of another department that keeps lists too": actor_for(officer_mqsa, mqsa),
    }


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("who", ["anonymous", "another enterprise", "an officer of another department",
                                 "an officer of another department that keeps lists too"])
def test_outsiders_change_nothing_on_a_departments_list(operation, who, outsiders, dishonest, entry):
    before = snapshot(dishonest, entry)
    with pytest.raises(NotAllowed):
        OPERATIONS[operation](outsiders[who], dishonest, entry)
    assert snapshot(dishonest, entry) == before


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_issuing_departments_officer_may(operation, officer_ipc, ipc, dishonest, entry):
    OPERATIONS[operation](actor_for(officer_ipc, ipc), dishonest, entry)


@pytest.mark.parametrize("operation", ["change the list's rules", "edit an entry", "add a restriction"])
def test_a_platform_admin_may(operation, platform_admin, dishonest, entry):
    OPERATIONS[operation](actor_for(platform_admin, platform()), dishonest, entry)


class TestDefiningLists:
    def test_an_officer_defines_lists_of_their_own_department_only(self, officer_stic, stic, fin):
        actor = actor_for(officer_stic, stic)
        created = list_create(actor=actor, department=stic, code="stic-watch", name="科技项目失信名单",
                              legal_basis="科技计划项目管理办法")
        assert (created.department, created.kind, created.version) == (stic, "custom", 1)
        with pytest.raises(NotAllowed):
            list_create(actor=actor, department=fin, code="fin-watch", name="名单", legal_basis="x")
        assert not CreditList.objects.filter(code="fin-watch").exists()

    def test_enterprises_and_the_public_define_no_lists(self, rep_a, enterprise_a, stic):
        for actor in (Actor.anonymous(), actor_for(rep_a, enterprise_a)):
            with pytest.raises(NotAllowed):
                list_create(actor=actor, department=stic, code="x", name="x", legal_basis="x")
        assert not CreditList.objects.filter(code="x").exists()

    def test_a_staff_member_of_a_department_without_the_officer_role_is_not_an_officer(self, stic):
        from shuangchuang.core.models import Role
        from shuangchuang.core.tests.factories import grant, make_user

        clerk = make_user("clerk")
        grant(clerk, stic, Role.STAFF)
        with pytest.raises(NotAllowed):
            list_create(actor=actor_for(clerk, stic), department=stic, code="x", name="x", legal_basis="x")
