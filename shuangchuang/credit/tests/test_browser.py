"""Browser test: the public credit search (live results as one types) and screening a party.

Runs with `pytest -m browser` in Debian's chromium; never downloads a browser. The page is asked for in English
(language cookie) so the test does not depend on the translations.
"""

import datetime
import os

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.credit.models import CreditList
from shuangchuang.credit.services import entry_create
from shuangchuang.registry.models import IndustryDivision, LegalForm
from shuangchuang.registry.services import enterprise_register
from shuangchuang.registry.uscc import make_uscc

pytestmark = pytest.mark.browser

NAME = "深圳市浏览失信科技有限公司"


@pytest.fixture
def listed(live_server, transactional_db):
    actor = Actor.system("test")
    uscc = make_uscc("9", "1", "440300", "MA5T0C2D")
    enterprise_register(
        actor=actor, uscc=uscc, name=NAME, trade_name="浏览失信", legal_form=LegalForm.LLC,
        registration_authority=Organisation.objects.get(code="SZ-MQSA"),
        industry=IndustryDivision.objects.get(code="65"), founded_on=datetime.date(2020, 1, 2),
    )
    entry_create(actor=actor, credit_list=CreditList.objects.get(code="dishonest-debtor"), name=NAME, uscc=uscc,
                 reason="有履行能力而拒不履行生效法律文书确定义务", authority="深圳市中级人民法院",
                 case_number="(2025)粤03执77号", listed_on="2025-05-05")
    return uscc


@pytest.fixture
def page(english_page):
    return english_page

def test_the_public_searches_the_credit_records_and_screens_a_party(live_server, listed, page):
    page.goto(f"{live_server.url}/credit/")
    assert page.get_by_role("heading", name="Enterprise credit").is_visible()
    page.get_by_label("Name, unified social credit code or ID number").fill("浏览失信")
    results = page.locator("#results")
    results.get_by_role("cell", name="失信被执行人名单").wait_for()
    assert results.get_attribute("aria-live") == "polite"
    assert "1 record found" in results.inner_text()
    results.get_by_role("link", name=NAME).first.click()
    page.get_by_role("heading", name=NAME).wait_for()
    assert page.get_by_role("heading", name="Listed on 1 list").is_visible()
    assert "(2025)粤03执77号" in page.content()

    page.goto(f"{live_server.url}/credit/screen/")
    page.get_by_label("Name").fill("浏览失信科技（深圳）股份有限公司")
    page.get_by_label("Action").select_option("special_fund")
    page.get_by_role("button", name="Screen").click()
    decision = page.locator("#result .decision")
    decision.wait_for()
    assert "Blocked for Application for special funds" in decision.inner_text()
    assert "失信被执行人名单信息的若干规定" in page.locator("#result").inner_text()
    page.locator("#result").get_by_role("link").first.click()
    page.get_by_role("heading", name="Screening evidence").wait_for()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/credit-evidence.png", full_page=True)
