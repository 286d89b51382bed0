"""Fixtures of the credit tests: the core people and organisations, plus registered enterprises, officers of the
issuing departments and small lists. Built-in lists (abnormal-operation, dishonest-debtor, …) come from the
migrations. Messages are asserted in English."""

import datetime

import pytest

from shuangchuang.core.models import Role
from django.conf import settings
from django.test import Client
from django.utils import translation

from shuangchuang.core.tests.conftest import (  # noqa: F401 — shared fixtures
    enterprise_a,
    enterprise_b,
    login,
    mqsa,
    officer_mqsa,
    officer_stic,
    platform_admin,
    rep_a,
    rep_b,
    staff_a,
    stic,
)
from shuangchuang.core.tests.factories import (
    SYSTEM,
    department,
    enterprise_code,
    grant,
    id_number,
    make_user,
)
from shuangchuang.credit.models import CreditList
from shuangchuang.credit.services import entry_create
from shuangchuang.registry.models import IndustryDivision, LegalForm, NaturalPerson
from shuangchuang.registry.services import enterprise_register

TODAY = datetime.date(2026, 11, 28)
REP_ID = id_number(14, region="440305", birth="19920101")  # the legal representative of registered_a


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ipc(db):
    return department("SZ-IPC")


@pytest.fixture
def fin(db):
    return department("SZ-FIN")


@pytest.fixture
def officer_ipc(db, ipc):
    user = make_user("officer-ipc", email="officer-ipc@example.cn", full_name="法院干部")
    grant(user, ipc, Role.OFFICER)
    return user


@pytest.fixture
def officer_fin(db, fin):
    user = make_user("officer-fin", email="officer-fin@example.cn", full_name="财政干部")
    grant(user, fin, Role.OFFICER)
    return user


def register(name: str, serial: int, *, founded_on=datetime.date(2019, 5, 20), legal_rep=None, trade_name=""):
    from shuangchuang.core.models import Organisation

    return enterprise_register(
        actor=SYSTEM, uscc=enterprise_code(serial), name=name, trade_name=trade_name, legal_form=LegalForm.LLC,
        registration_authority=Organisation.objects.get(code="SZ-MQSA"),
        industry=IndustryDivision.objects.get(code="65"), founded_on=founded_on, legal_representative=legal_rep,
    )


@pytest.fixture
def registered_a(enterprise_a):
    """The register record of enterprise_a (深圳市甲科技有限公司, serial 1)."""
    rep = NaturalPerson.objects.create(id_number=REP_ID, name="甲法人")
    return register("深圳市甲科技有限公司", 1, legal_rep=rep)


@pytest.fixture
def registered_b(enterprise_b):
    return register("深圳市乙科技有限公司", 2)


@pytest.fixture
def dishonest():
    return CreditList.objects.get(code="dishonest-debtor")


@pytest.fixture
def abnormal():
    return CreditList.objects.get(code="abnormal-operation")


@pytest.fixture
def serious():
    return CreditList.objects.get(code="serious-violation")


def add_entry(credit_list, **values):
    """Add an entry as the system (the services' permission checks are tested separately)."""
    values.setdefault("reason", "有履行能力而拒不履行生效法律文书确定义务")
    values.setdefault("listed_on", "2025-03-01")
    return entry_create(actor=SYSTEM, credit_list=credit_list, **values)


@pytest.fixture(autouse=True)
def _fresh_lists_snapshot():
    """The lists snapshot is kept per process; each test starts from its own database state."""
    from shuangchuang.credit.lookup import forget_snapshot

    forget_snapshot()
    yield
    forget_snapshot()
