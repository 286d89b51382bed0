"""People and organisations shared by the core tests.

Departments (SZ-STIC, SZ-MQSA, …) and the PLATFORM organisation come from the migrations.
Tests that assert messages use the `english` fixture: the services run under English and the test client
asks for English (language cookie); everything else keeps the default language.
"""

import pytest
from django.utils import translation

from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import (
    department,
    grant,
    make_enterprise_org,
    make_user,
    platform,
    use_english,
)


@pytest.fixture
def english(client):
    use_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def login(client):
    """Log a person in on the test client (without the lock-out backend, which needs a request)."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def enterprise_a(db):
    return make_enterprise_org("深圳市甲科技有限公司", 1)


@pytest.fixture
def enterprise_b(db):
    return make_enterprise_org("深圳市乙科技有限公司", 2)


@pytest.fixture
def rep_a(enterprise_a):
    user = make_user("rep-a", email="rep-a@example.cn", full_name="甲法人")
    grant(user, enterprise_a, Role.LEGAL_REPRESENTATIVE)
    return user


@pytest.fixture
def staff_a(enterprise_a):
    user = make_user("staff-a", email="staff-a@example.cn", full_name="甲员工")
    grant(user, enterprise_a, Role.STAFF)
    return user


@pytest.fixture
def rep_b(enterprise_b):
    user = make_user("rep-b", email="rep-b@example.cn", full_name="乙法人")
    grant(user, enterprise_b, Role.LEGAL_REPRESENTATIVE)
    return user


@pytest.fixture
def stic(db):
    return department("SZ-STIC")


@pytest.fixture
def mqsa(db):
    return department("SZ-MQSA")


@pytest.fixture
def officer_stic(db, stic):
    user = make_user("officer-stic", email="officer-stic@example.cn", full_name="科创委干部")
    grant(user, stic, Role.OFFICER)
    return user


@pytest.fixture
def officer_mqsa(db, mqsa):
    user = make_user("officer-mqsa", email="officer-mqsa@example.cn", full_name="市场监管干部")
    grant(user, mqsa, Role.OFFICER)
    return user


@pytest.fixture
def platform_admin(db):
    user = make_user("platform-admin", email="admin@example.cn", full_name="平台管理员")
    grant(user, platform(), Role.ADMIN)
    return user
