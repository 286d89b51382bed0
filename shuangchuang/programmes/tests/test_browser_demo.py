"""Browser test on the DEMO data: the demo (small synthetic city) leaves the demo enterprise's 创客空间 application
as a draft; its legal representative attaches the files and submits, the demo officer passes the formal screening
and draws reviewers from the demo expert pool, an assigned expert declares and scores, the officer closes the
review and proposes, the public notice runs (published for a period already over), the officer decides the award
and the applicant sees it."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangchuang.programmes.tests.test_browser import act_as

pytestmark = pytest.mark.browser


def test_apply_review_and_award_on_the_demo_call(live_server, transactional_db, page, tmp_path):
    from shuangchuang.core.actor import Actor
    from shuangchuang.core.models import Membership, Role, User
    from shuangchuang.programmes.models import Application, Assignment, Call, State
    from shuangchuang.programmes.services import notice_publish

    call_command("demo", enterprises=300, seed=1, stdout=io.StringIO())
    call = Call.objects.get(programme__code="maker-space-build")
    owner = User.objects.get(username="demo-enterprise")
    draft = Application.objects.filter(call=call, state=State.DRAFT,
                                       organisation__memberships__user=owner).order_by("pk").first()
    officer = User.objects.get(username="demo-officer")
    stic = call.programme.department
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    # the demo enterprise finishes its draft
    act_as(page, live_server, owner, draft.organisation)
    page.goto(f"{live_server.url}/programmes/applications/{draft.pk}/")
    for label in ("项目实施方案", "场地租赁合同或产权证明"):
        page.get_by_label(f"File for {label}").set_input_files(str(plan))
        page.get_by_label(f"File for {label}").locator("xpath=..").get_by_role("button", name="Attach").click()
        page.get_by_text("The file is attached").wait_for()
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_text("The application is submitted").wait_for()
    assert Application.objects.get(pk=draft.pk).state == State.SUBMITTED

    # the demo officer: formal screening, reviewers from the demo expert pool
    url = f"{live_server.url}/programmes/manage/applications/{draft.pk}/"
    act_as(page, live_server, officer, stic)
    page.goto(url)
    page.get_by_role("button", name="Pass the formal screening").click()
    page.get_by_role("button", name="Draw reviewers from the pool").click()
    page.get_by_text("Reviewers are assigned").wait_for()

    # one assigned expert declares and scores
    assignment = Assignment.objects.filter(application_id=draft.pk).select_related("reviewer").first()
    membership = Membership.objects.filter(user=assignment.reviewer, role=Role.REVIEWER, is_active=True).first()
    act_as(page, live_server, assignment.reviewer, membership.organisation)
    page.goto(f"{live_server.url}/programmes/reviews/")
    page.get_by_role("link", name=draft.reference).click()
    page.get_by_label("No, I have no conflict").check()
    page.get_by_role("button", name="Record my declaration").click()
    page.get_by_label("创新性与示范作用 (0–40)").fill("36")
    page.get_by_label("运营能力与服务体系 (0–30)").fill("25")
    page.get_by_label("预算合理性 (0–30)").fill("24")
    page.get_by_label("Reasons for your scores").fill("场地条件好，运营团队有经验。")
    page.get_by_role("button", name="Submit the review").click()
    page.get_by_text("Your review is submitted").wait_for()

    # the officer closes the review and proposes; the notice period runs; the award
    act_as(page, live_server, officer, stic)
    page.goto(url)
    page.get_by_role("button", name="Close the expert review").click()
    page.get_by_label("Amount (yuan, for a proposal)").fill("800000")
    page.get_by_role("button", name="Propose for award").click()
    page.get_by_text("Proposed for award").first.wait_for()
    officer_actor = Actor(user=officer, organisation=stic, roles=frozenset({Role.OFFICER}))
    notice_publish(actor=officer_actor, call=call, title="浏览器测试公示",
                   starts_on=timezone.localdate() - datetime.timedelta(days=call.publicity_days + 1))
    page.goto(url)
    page.get_by_role("button", name="Decide the award").click()
    page.locator("pre.letter").wait_for()

    # the applicant sees the decision
    act_as(page, live_server, owner, draft.organisation)
    page.goto(f"{live_server.url}/programmes/applications/{draft.pk}/")
    assert "Awarded" in page.content() and "800,000.00" in page.content()
    os.makedirs("test-results", exist_ok=True)
    page.screenshot(path="test-results/programmes-demo-award.png", full_page=True)
