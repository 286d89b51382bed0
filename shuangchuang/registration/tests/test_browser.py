"""Browser test: an applicant fills in the establishment form, submits it, the registration authority's officer
registers the enterprise, and the electronic licence with its verification code is shown.

Runs with `pytest -m browser -p no:xdist` in Debian's chromium; pages in English (language cookie). The name
check and reservation belong to the names module's own browser test; here the names bridge is off."""


import pytest
from django.conf import settings
from django.test import Client

from shuangchuang.core.models import Organisation, Role
from shuangchuang.core.tests.factories import grant, make_user
from shuangchuang.registration.models import Application
from shuangchuang.registration.reference import load_rules
from shuangchuang.registration.tests.conftest import FOUNDER_ID, PDF

pytestmark = pytest.mark.browser


def log_in(context, live_server, user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    host = live_server.url.split("//")[1].split(":")[0]
    context.clear_cookies()
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "domain": host, "path": "/"},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "domain": host, "path": "/"},
    ])


def test_a_founder_checks_and_reserves_a_name_establishes_the_enterprise_and_receives_the_licence(
        live_server, browser_context, tmp_path, names_on):
    from shuangchuang.names.models import NameReservation

    load_rules()
    founder = make_user("browser-founder", full_name="张创业", id_no=FOUNDER_ID)
    officer = make_user("browser-officer", full_name="登记官员")
    grant(officer, Organisation.objects.get(code="SZ-MQSA"), Role.OFFICER)
    articles = tmp_path / "articles.pdf"
    articles.write_bytes(PDF)

    log_in(browser_context, live_server, founder)
    page = browser_context.new_page()
    # name self-declaration: the check follows the typing, then the name is reserved
    page.goto(f"{live_server.url}/registration/names/")
    page.get_by_label("Proposed name").fill("深圳市浏览智造科技有限公司")
    page.locator('#result [data-verdict="ok"]').wait_for()
    page.get_by_role("button", name="Reserve this name").click()
    page.get_by_text("is reserved for you until").wait_for()

    page.goto(f"{live_server.url}/registration/applications/new/")
    page.get_by_label("Reserved name").select_option(label="深圳市浏览智造科技有限公司")
    page.get_by_label("Enterprise name").fill("深圳市浏览智造科技有限公司")
    page.get_by_label("Legal form").select_option("llc")
    page.get_by_label("Industry (GB/T 4754)").select_option("65")
    page.get_by_label("District").select_option("440305")
    page.get_by_label("Address (住所)").fill("深圳市南山区粤海街道科技南路18号")
    page.get_by_label("Registered capital (yuan)").fill("500000")
    page.locator("[name=holders-0-name]").fill("张创业")
    page.locator("[name=holders-0-identifier]").fill(FOUNDER_ID)
    page.locator("[name=holders-0-subscribed]").fill("500000")
    page.get_by_label("Legal representative", exact=True).fill("张创业")
    page.get_by_label("Legal representative's ID number").fill(FOUNDER_ID)
    page.locator("[name=officers-0-name]").fill("张创业")
    page.locator("[name=officers-0-id_number]").fill(FOUNDER_ID)
    page.get_by_label("软件开发", exact=True).check()
    page.get_by_label("Articles of association (PDF)").set_input_files(str(articles))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The application is complete.").wait_for()
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#state").inner_text() == "Submitted"

    application = Application.objects.get()
    log_in(browser_context, live_server, officer)
    page.goto(f"{live_server.url}/registration/queue/")
    page.get_by_role("link", name="深圳市浏览智造科技有限公司").click()
    page.get_by_role("button", name="Register and issue the licence").click()
    assert page.locator("#state").inner_text() == "Registered"
    page.get_by_role("link", name="Electronic business licence").click()
    page.get_by_text("Verified").wait_for()
    application.refresh_from_db()
    assert application.uscc in page.content()
    assert "人民币500,000.00元" in page.content()
    reservation = NameReservation.objects.get(name="深圳市浏览智造科技有限公司")
    assert (reservation.status, reservation.consumed_by.uscc) == ("consumed", application.uscc)
