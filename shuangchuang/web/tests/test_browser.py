"""Browser test: a demo enterprise user logs in, switches language and searches the registry.

Runs with `pytest -m browser` (.ci/run) in Debian's chromium; never downloads a browser.
"""

import datetime
import os

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation, Role
from shuangchuang.core.services import membership_grant, organisation_create, user_create
from shuangchuang.registry.models import IndustryDivision, LegalForm
from shuangchuang.registry.services import enterprise_register
from shuangchuang.registry.uscc import make_uscc

pytestmark = pytest.mark.browser

PASSWORD = "Browser-test-2026!"


@pytest.fixture
def enterprise_user(transactional_db):
    actor = Actor.system("test")
    amr = Organisation.objects.get(code="SZ-MQSA")
    uscc = make_uscc("9", "1", "440300", "MA5T0B1C")
    enterprise_register(
        actor=actor, uscc=uscc, name="深圳市浏览测试科技有限公司", trade_name="浏览测试", legal_form=LegalForm.LLC,
        registration_authority=amr, industry=IndustryDivision.objects.get(code="65"),
        founded_on=datetime.date(2020, 1, 2),
    )
    org = organisation_create(actor=actor, kind="enterprise", code=uscc, name="深圳市浏览测试科技有限公司")
    user = user_create(actor=actor, username="browser-ent", password=PASSWORD, full_name="测试员")
    membership_grant(actor=actor, user=user, organisation=org, role=Role.LEGAL_REPRESENTATIVE)
    return user


def test_enterprise_user_logs_in_switches_language_and_searches(live_server, enterprise_user, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("browser-ent")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    assert page.get_by_role("heading", name="我的工作台").is_visible()
    assert "深圳市浏览测试科技有限公司" in page.content()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="My workspace").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Enterprise registry").first.click()
    page.get_by_label("Name or unified social credit code").fill("浏览测试")
    page.get_by_role("link", name="深圳市浏览测试科技有限公司").wait_for()
    page.get_by_role("link", name="深圳市浏览测试科技有限公司").click()
    assert page.get_by_role("heading", name="深圳市浏览测试科技有限公司").is_visible()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/registry-detail.png", full_page=True)
