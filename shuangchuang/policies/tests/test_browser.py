"""Browser test: a demo enterprise searches the policy library, opens the seed policy, sees what it means for it and
what it can get. Runs with `pytest -m browser` in Debian's chromium; never downloads a browser.

Selectors avoid the module's own interface text (English msgids, translated later) and use ids, links and data."""

import os

import pytest

from shuangchuang.policies.tests.factories import PASSWORD, SYSTEM, make_enterprise, make_enterprise_member

pytestmark = pytest.mark.browser

TITLE = "深圳市人民政府关于大力推进大众创业万众创新的实施意见"


@pytest.fixture
def demo_enterprise(transactional_db):
    from shuangchuang.policies.services import seed_load

    seed_load(actor=SYSTEM)
    firm = make_enterprise(77, "深圳市浏览政策科技有限公司", rd_expense_fen=112_000_000)
    user, _organisation = make_enterprise_member(firm, "browser-policies")
    return user, firm


def test_enterprise_searches_opens_the_policy_and_sees_its_eligibility(live_server, demo_enterprise, page):
    user, firm = demo_enterprise
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")

    page.goto(f"{live_server.url}/policies/")
    page.locator("#q").fill("创新券")
    page.locator("#results").get_by_role("link", name=TITLE).wait_for()
    assert page.locator("#results mark").first.inner_text() == "创新券"
    page.locator("#results").get_by_role("link", name=TITLE).click()

    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    assert page.locator(".pol-measure").count() == 34
    mine = page.locator("section[aria-labelledby=mine-heading]")
    assert firm.name in mine.inner_text()
    mine.get_by_role("link", name="科技创新券（中小微企业）").click()

    assert page.get_by_role("heading", level=1, name="科技创新券（中小微企业）").is_visible()
    explanation = page.locator("section[aria-labelledby=me-heading]")
    assert explanation.locator(".pol-outcome-pass").count() >= 4
    assert "¥100,000" in explanation.inner_text()

    page.goto(f"{live_server.url}/policies/eligibility/")
    eligible = page.locator("section[aria-labelledby=eligible-heading]")
    assert eligible.get_by_role("link", name="科技创新券（中小微企业）").is_visible()
    assert page.locator("section[aria-labelledby=near-heading]").get_by_role(
        "link", name="高新技术企业认定（企业所得税减按15%）").is_visible()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/policies-eligibility.png", full_page=True)
