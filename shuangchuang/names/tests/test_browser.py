"""Browser test: the name check shows its result live as the applicant types.

Runs with `pytest -m browser -p no:xdist` in Debian's chromium; the page is asked for in English."""

from __future__ import annotations

import datetime

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.names.index import index_build
from shuangchuang.registry.models import IndustryDivision, LegalForm
from shuangchuang.registry.services import enterprise_register
from shuangchuang.registry.uscc import make_uscc

pytestmark = pytest.mark.browser

NAME = "深圳市浏览名称科技有限公司"


@pytest.fixture
def registered(live_server, transactional_db):
    enterprise_register(
        actor=Actor.system("test"), uscc=make_uscc("9", "1", "440300", "MA5T0N2M"), name=NAME,
        legal_form=LegalForm.LLC, registration_authority=Organisation.objects.get(code="SZ-MQSA"),
        industry=IndustryDivision.objects.get(code="65"), founded_on=datetime.date(2020, 1, 2),
    )
    index_build()


@pytest.fixture
def page(english_page):
    return english_page


def test_the_result_follows_the_name_as_it_is_typed(live_server, registered, page):
    page.goto(f"{live_server.url}/registration/names/")
    assert page.get_by_role("heading", name="Name self-declaration").is_visible()
    field = page.get_by_label("Proposed name")
    field.fill("深圳市浏览名称科技有限公司")
    result = page.locator("#result")
    result.locator('[data-verdict="identical"]').wait_for()
    assert NAME in result.inner_text()
    field.fill("深圳市浏览新名科技有限公司")
    result.locator('[data-verdict="ok"]').wait_for()
    assert result.get_by_role("link", name="Log in to reserve this name").is_visible()


def test_with_the_keyboard_alone_the_verdict_is_spoken_by_the_status_region(live_server, registered, page):
    page.goto(f"{live_server.url}/registration/names/")
    for _ in range(60):  # reach the name field by Tab from the top of the page
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_name":
            break
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type(NAME)
    status = page.locator("#check-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    page.wait_for_function("document.querySelector('#check-status').textContent.includes('cannot be used')")
    assert "cannot be used" in status.inner_text() or "cannot be used" in status.text_content()
