"""Fixtures of the names tests: the city's registration authority (SZ-MQSA, from the migrations), another
authority, registered enterprises written through the registry's service and indexed, and the people who act.
Messages are asserted in English."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import SYSTEM, department, enterprise_code, grant, make_enterprise_org, make_user
from shuangchuang.names.index import index_build
from shuangchuang.registry.models import IndustryDivision
from shuangchuang.registry.services import enterprise_register

_serials = itertools.count(500)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def mqsa(db):
    return department("SZ-MQSA")


@pytest.fixture
def other_authority(db):
    return department("SZ-STIC")  # any other department stands for another registration authority


def register(name: str, *, division: str | None = "65", authority=None, legal_form: str = "llc"):
    """Register an enterprise as the registry does and bring the name index up to date."""
    enterprise = enterprise_register(
        actor=SYSTEM, uscc=enterprise_code(next(_serials)), name=name, legal_form=legal_form,
        registration_authority=authority or department("SZ-MQSA"),
        industry=IndustryDivision.objects.get(code=division) if division else None,
        founded_on=datetime.date(2020, 1, 1),
    )
    index_build()
    return enterprise


@pytest.fixture
def registered(mqsa):
    """A small register of the city's authority."""
    return {
        "pengcheng": register("深圳市鹏城创芯科技有限公司", division="65"),
        "hongguang": register("深圳市红光酒业发展有限公司", division="15"),
        "wanqing": register("深圳市万青地产有限公司", division="70"),
        "niulanshan": register("深圳市牛栏山酒业有限公司", division="15"),
        "alibaba": register("深圳市阿里巴巴网络科技有限公司", division="64"),
        "bare": register("深圳市星河有限公司", division=None),
    }


@pytest.fixture
def founder(db):
    return make_user("founder", email="founder@example.cn", full_name="创业者")


@pytest.fixture
def enterprise_org(db):
    return make_enterprise_org("深圳市甲科技有限公司", 1)


@pytest.fixture
def other_enterprise_org(db):
    return make_enterprise_org("深圳市乙科技有限公司", 2)


@pytest.fixture
def rep(enterprise_org):
    user = make_user("rep-a", email="rep-a@example.cn", full_name="甲法人")
    grant(user, enterprise_org, Role.LEGAL_REPRESENTATIVE)
    return user


@pytest.fixture
def staff(enterprise_org):
    user = make_user("staff-a", email="staff-a@example.cn", full_name="甲员工")
    grant(user, enterprise_org, Role.STAFF)
    return user


@pytest.fixture
def other_rep(other_enterprise_org):
    user = make_user("rep-b", email="rep-b@example.cn", full_name="乙法人")
    grant(user, other_enterprise_org, Role.LEGAL_REPRESENTATIVE)
    return user


@pytest.fixture
def officer(mqsa):
    user = make_user("officer-mqsa", email="officer@example.cn", full_name="市场监管干部")
    grant(user, mqsa, Role.OFFICER)
    return user


@pytest.fixture
def other_officer(other_authority):
    user = make_user("officer-stic", email="officer-stic@example.cn", full_name="科创委干部")
    grant(user, other_authority, Role.OFFICER)
    return user
