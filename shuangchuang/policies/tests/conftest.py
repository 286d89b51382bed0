"""Policies test data: departments come from the migrations; enterprises, people and the seed data are built here.

Messages are asserted in English: services run under English and the test client asks for English.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import translation

from shuangchuang.policies.tests.factories import (
    SYSTEM,
    actor_for,
    department,
    make_enterprise,
    make_enterprise_member,
    make_officer,
    make_user,
)

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def seeded(db):
    from shuangchuang.policies.services import seed_load

    return seed_load(actor=SYSTEM)


@pytest.fixture
def stic(db):
    return department("SZ-STIC")


@pytest.fixture
def mqsa(db):
    return department("SZ-MQSA")


@pytest.fixture
def officer_stic(db):
    return make_officer("officer-stic", "SZ-STIC")


@pytest.fixture
def officer_mqsa(db):
    return make_officer("officer-mqsa", "SZ-MQSA")


@pytest.fixture
def officer_ntax(db):
    return make_officer("officer-ntax", "SZ-NTAX")


@pytest.fixture
def firm_a(db):
    """A small Nanshan manufacturer (division 39), R&D spending 4 % of revenue."""
    return make_enterprise(1, "深圳市甲科技有限公司", rd_expense_fen=112_000_000)


@pytest.fixture
def firm_b(db):
    """A small Futian wholesaler (division 51, on the R&D negative list)."""
    return make_enterprise(2, "深圳市乙贸易有限公司", division="51", district_code="440304", employees=12,
                           revenue_fen=900_000_000, assets_fen=400_000_000, rd_expense_fen=5_000_000)


@pytest.fixture
def rep_a(firm_a):
    user, _organisation = make_enterprise_member(firm_a, "rep-a")
    return user


@pytest.fixture
def rep_b(firm_b):
    user, _organisation = make_enterprise_member(firm_b, "rep-b")
    return user


def org_of(firm):
    from shuangchuang.core.models import Organisation

    return Organisation.objects.get(code=firm.uscc)


__all__ = ["SYSTEM", "TODAY", "actor_for", "make_user", "org_of"]


@pytest.fixture(scope="class")
def seeded_class(django_db_setup, django_db_blocker):
    """The seed data loaded once for a test class, rolled back after it (like TestCase.setUpTestData).

    Mark the class with @pytest.mark.django_db too (so the test database is set up and each test runs in its own
    savepoint inside this class-wide transaction)."""
    from django.db import transaction

    from shuangchuang.policies.services import seed_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_load(actor=SYSTEM)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
