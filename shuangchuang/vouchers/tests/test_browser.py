"""Browser test: apply → issue → contract (from the voucher page) → redeem → pay → settle, each side in its own
session. Runs with `pytest -m browser -p no:xdist` in Debian's chromium; pages are asked for in English."""

import datetime
import os

import pytest
from django.test import Client

from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.vouchers.models import Redemption
from shuangchuang.vouchers.services import settlement_run
from shuangchuang.vouchers.tests.conftest import TODAY, registered

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def browser_context(monkeypatch, live_server):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context
        browser.close()


def as_person(context, live_server, user):
    """A page of a fresh session logged in as `user` (the session cookie of a test client's log-in)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    host = live_server.url.split("//")[1].split(":")[0]
    context.clear_cookies()
    context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"},
                         {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
                          "path": "/"}])
    return context.new_page()


def test_apply_issue_contract_redeem_pay_and_settle_in_the_browser(live_server, transactional_db, browser_context,
                                                                   scheme, small, provider, officer, tmp_path):
    registered(provider, scheme, officer)
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(PDF)
    url = live_server.url

    page = as_person(browser_context, live_server, small.user)
    page.goto(f"{url}/vouchers/schemes/sz-innovation-voucher/apply/")
    assert "You may request up to 100,000.00 yuan." in page.content()
    page.get_by_label("Amount requested (yuan)").fill("50000")
    page.get_by_label("Service need").fill("EMC 检测")
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_role("heading", name="Voucher application").wait_for()
    application_url = page.url

    page = as_person(browser_context, live_server, officer.user)
    page.goto(application_url.replace("/my/applications/", "/manage/applications/"))
    page.get_by_role("button", name="Pass the review and publicise").click()
    page.get_by_role("button", name="Issue the voucher").click()
    page.get_by_text("Voucher", exact=True).wait_for()

    page = as_person(browser_context, live_server, small.user)
    page.goto(f"{url}/vouchers/my/")
    page.locator("table a").first.click()
    start_link = page.locator("a[href*='contract/new']").first.get_attribute("href")

    page = as_person(browser_context, live_server, provider.user)
    page.goto(start_link)
    page.get_by_label("Service category").select_option("testing")
    page.get_by_label("Contract number").fill("HT-2026-001")
    page.locator("#id_title").fill("EMC 检测")
    page.get_by_label("Contract amount (yuan)").fill("80000")
    page.get_by_label("Signed on").fill(TODAY.isoformat())
    page.get_by_label("The signed contract (PDF, PNG or JPEG)").set_input_files(str(proof))
    page.get_by_role("button", name="Record the contract").click()
    page.get_by_text("Proposed by the provider").wait_for()
    contract_url = page.url

    page = as_person(browser_context, live_server, small.user)
    page.goto(contract_url)
    page.get_by_role("button", name="Confirm the contract").click()
    page.get_by_text("Signed", exact=True).wait_for()

    page = as_person(browser_context, live_server, provider.user)
    page.goto(contract_url)
    page.get_by_role("link", name="Request redemption").click()
    page.get_by_label("Paid by the holder (yuan)").fill("40000")
    page.get_by_label("Service completed on").fill(TODAY.isoformat())
    page.get_by_label("Proof of the holder's own payment").set_input_files(str(proof))
    page.get_by_label("Proof of the service").set_input_files(str(proof))
    page.get_by_role("button", name="Request redemption").click()
    page.get_by_text("Requested by the provider").wait_for()
    redemption = Redemption.objects.get()
    assert redemption.amount_fen == 4_000_000

    page = as_person(browser_context, live_server, officer.user)
    page.goto(f"{url}/vouchers/manage/redemptions/{redemption.pk}/")
    page.get_by_label("Note").first.fill("审计无异议")
    page.get_by_role("button", name="Record the audit").click()
    page.get_by_role("button", name="Publicise").click()
    page.get_by_role("button", name="Pay").click()
    page.get_by_text("Paid, awaiting settlement").first.wait_for()
    assert settlement_run(actor=SYSTEM, on=TODAY + datetime.timedelta(days=3)) == 1
    page.goto(f"{url}/vouchers/manage/schemes/sz-innovation-voucher/")
    assert "40,000.00" in page.locator(".figures").inner_text()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/vouchers-dashboard.png", full_page=True)
