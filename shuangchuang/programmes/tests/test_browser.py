"""Browser test: apply → review → award on a call, through the pages, in Debian's chromium.

An applicant fills the form built from the call's schema (with a table and a conditional field), attaches the
files and submits; the officer passes the formal screening and draws the reviewer; the reviewer declares no
conflict and scores; the officer closes the review, proposes the amount and decides the award; the applicant
sees the decision letter."""

import os

import pytest
from django.test import Client

from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import grant, make_user

pytestmark = pytest.mark.browser


def act_as(page, live_server, user, organisation):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["acting_organisation_id"] = organisation.pk
    session.save()
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.clear_cookies()
    page.context.add_cookies([
        {"name": "sessionid", "value": session.session_key, "domain": host, "path": "/"},
        {"name": "django_language", "value": "en", "domain": host, "path": "/"}])


def test_apply_review_and_award_through_the_pages(live_server, transactional_db, page, tmp_path):
    from shuangchuang.programmes.models import Application
    from shuangchuang.programmes.services import expert_profile_set
    from shuangchuang.programmes.tests.conftest import SYSTEM, make_call, make_programme, register
    from shuangchuang.core.models import Organisation
    from shuangchuang.core.tests.factories import make_enterprise_org

    stic = Organisation.objects.get(code="SZ-STIC")
    firm_org = make_enterprise_org("深圳市浏览创客科技有限公司", 91)
    register(firm_org)
    rep = make_user("b-rep")
    grant(rep, firm_org, Role.LEGAL_REPRESENTATIVE)
    officer = make_user("b-officer")
    grant(officer, stic, Role.OFFICER)
    reviewer = make_user("b-reviewer")
    grant(reviewer, stic, Role.REVIEWER)
    expert_profile_set(actor=SYSTEM, user=reviewer, fields=["hardware"])
    call = make_call(make_programme(stic), expert_field="hardware", reviewers_per_application=1,
                     stages=["formal_check", "expert_review", "committee"])
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    # the applicant
    act_as(page, live_server, rep, firm_org)
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name=call.title).first.click()
    assert "meets the conditions" in page.content()
    page.get_by_role("link", name="Start an application").click()
    page.get_by_label("Project title").fill("浏览器创客空间")
    page.get_by_label("Project reference").fill("B-1")
    page.get_by_label("Amount requested (yuan)").fill("200000")
    page.get_by_label("Project summary").fill("面向硬件创业团队的创客空间")
    page.get_by_label("Spending last year").fill("800000")
    page.get_by_label("Has a patent").select_option("yes")
    assert page.get_by_label("Patent number").is_visible()
    page.get_by_label("Has a patent").select_option("no")
    assert not page.get_by_label("Patent number").is_visible()
    page.get_by_label("Team 1: Name").fill("王五")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("The draft is saved").wait_for()
    for label in ("Business plan", "Business licence"):
        page.get_by_label(f"File for {label}").set_input_files(str(plan))
        page.get_by_label(f"File for {label}").locator("xpath=..").get_by_role("button", name="Attach").click()
        page.get_by_text("The file is attached").wait_for()
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_text("The application is submitted").wait_for()
    application = Application.objects.get(project_title="浏览器创客空间")

    # the officer: formal screening, reviewers
    act_as(page, live_server, officer, stic)
    page.goto(f"{live_server.url}/programmes/manage/applications/{application.pk}/")
    page.get_by_role("button", name="Pass the formal screening").click()
    page.get_by_role("button", name="Draw reviewers from the pool").click()
    page.get_by_text("Reviewers are assigned").wait_for()

    # the reviewer: declaration, then scores
    act_as(page, live_server, reviewer, stic)
    page.goto(f"{live_server.url}/programmes/reviews/")
    page.get_by_role("link", name=application.reference).click()
    assert "面向硬件创业团队" not in page.content()
    page.get_by_label("No, I have no conflict").check()
    page.get_by_role("button", name="Record my declaration").click()
    page.get_by_text("面向硬件创业团队的创客空间").wait_for()
    page.get_by_label("Innovation (0–50)").fill("42")
    page.get_by_label("Team (0–50)").fill("38")
    page.get_by_label("Reasons for your scores").fill("场地与团队条件良好")
    page.get_by_role("button", name="Submit the review").click()
    page.get_by_text("Your review is submitted").wait_for()

    # the officer: close the review, propose, award
    act_as(page, live_server, officer, stic)
    url = f"{live_server.url}/programmes/manage/applications/{application.pk}/"
    page.goto(url)
    page.get_by_role("button", name="Close the expert review").click()
    page.get_by_label("Amount (yuan, for a proposal)").fill("150000")
    page.get_by_role("button", name="Propose for award").click()
    page.get_by_role("button", name="Decide the award").click()
    page.locator("pre.letter").wait_for()

    # the applicant sees the decision
    act_as(page, live_server, rep, firm_org)
    page.goto(f"{live_server.url}/programmes/applications/{application.pk}/")
    assert "Awarded" in page.content() and "150,000.00" in page.content()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/programmes-award.png", full_page=True)
