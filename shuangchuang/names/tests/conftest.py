"""Fixtures of the names tests: registered enterprises written through the registry's service and indexed, and a
founder acting for no enterprise. The people and organisations are the core fixtures (core/tests/conftest.py):
`mqsa` is the city's registration authority; `stic` (with its officer `officer_stic`) stands for another
department or registration authority; `enterprise_a`/`rep_a`/`staff_a` and `enterprise_b`/`rep_b` are two
enterprises and their people. Messages are asserted in English."""

from __future__ import annotations

import datetime
import itertools

import pytest
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
    rep_a,
    rep_b,
    staff_a,
    stic,
)
from shuangchuang.core.tests.factories import SYSTEM, department, enterprise_code, make_user
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
