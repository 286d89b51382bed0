"""The pages: open calls with eligibility, applying through the form, attachments, the officers' list (query
count pinned), export, the form builder, the reviewer's declaration, refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import actor_for, grant, make_user
from shuangchuang.programmes.models import Application, Assignment, Call, State
from shuangchuang.programmes.services import application_transition
from shuangchuang.programmes.tests.conftest import draft, pdf, submitted

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_open_calls_with_the_enterprise_eligibility(client, login, rep, firm, call):
    login(rep)
    response = client.get(reverse("programmes:index"))
    assert response.status_code == 200
    assert call.title in response.content.decode() and "meets the conditions" in response.content.decode()


def test_anyone_sees_a_published_call(client, call):
    response = client.get(reverse("programmes:call", args=[call.pk]))
    assert response.status_code == 200 and "Business licence" in response.content.decode()


def test_applying_through_the_pages(client, login, rep, firm, call):
    login(rep)
    data = {"project_title": "页面申请", "project_key": "web-1", "requested": "100000", "summary": "一个创客空间",
            "spend": "5000", "has_patent": "no", "team__0__name": "王五", "team__0__salary": ""}
    response = client.post(reverse("programmes:apply", args=[call.pk]), data)
    assert response.status_code == 302
    application = Application.objects.get(project_title="页面申请")
    assert application.requested_fen == 100_000_00 and application.answers["team"] == [{"name": "王五"}]
    assert application.answers["spend"] == 500000
    for slot in ("plan", "licence"):
        client.post(reverse("programmes:attachment_add", args=[application.pk]), {"slot": slot, "upload": pdf()})
    response = client.post(reverse("programmes:application", args=[application.pk]), {**data, "step": "submit"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED


def test_a_bad_answer_is_shown_on_the_form(client, login, rep, firm, call):
    login(rep)
    response = client.post(reverse("programmes:apply", args=[call.pk]), {
        "project_title": "页面申请", "requested": "abc", "spend": "lots"})
    assert response.status_code == 400
    assert "Enter an amount in yuan" in response.content.decode() and not Application.objects.exists()


def test_a_wrong_type_upload_is_refused_on_the_page(client, login, rep, firm, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = draft(rep, call, files=False)
    login(rep)
    client.post(reverse("programmes:attachment_add", args=[application.pk]),
                {"slot": "plan", "upload": SimpleUploadedFile("x.pdf", b"<html>not pdf</html>")}, follow=True)
    assert not application.files.exists()


def test_another_enterprise_gets_the_reason_not_the_application(client, login, rep, other_rep, firm, other_firm,
                                                                 call):
    application = submitted(rep, call)
    login(other_rep)
    response = client.get(reverse("programmes:application", args=[application.pk]))
    assert response.status_code == 403 and "another enterprise" in response.content.decode()


def test_the_officers_list_filters_and_its_query_count_is_pinned(client, login, rep, officer, firm, call):
    for i in range(3):
        submitted(rep, call, project_key=f"K{i}")
        Application.objects.filter(project_key=f"K{i}").update(state=State.REJECTED)
    login(officer)
    url = reverse("programmes:applications")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"state": "rejected", "q": "硬件", "call": call.pk})
    assert response.status_code == 200 and response.content.decode().count("硬件创客空间") == 3
    # session, user, memberships, inbox count, the call ids, count, page, page names (2), calls for the filter
    assert len(queries) <= 10, [q["sql"] for q in queries]


def test_the_export_is_csv_with_safe_cells(client, login, rep, officer, firm, call):
    application = submitted(rep, call)
    Application.objects.filter(pk=application.pk).update(project_title="=HYPERLINK(1)")
    login(officer)
    response = client.get(reverse("programmes:applications"), {"export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body and application.reference in body


def test_the_export_is_also_an_excel_workbook_with_safe_cells(client, login, rep, officer, firm, call):
    import io

    import openpyxl

    application = submitted(rep, call)
    Application.objects.filter(pk=application.pk).update(project_title="=HYPERLINK(1)")
    login(officer)
    response = client.get(reverse("programmes:applications"), {"export": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("reference", "call", "applicant")
    assert rows[1][0] == application.reference and rows[1][4] == "'=HYPERLINK(1)"


def test_the_officers_pages_are_closed_to_others(client, login, rep, other_officer, firm, call):
    application = submitted(rep, call)
    login(rep)
    assert client.get(reverse("programmes:manage")).status_code == 403
    login(other_officer)
    response = client.get(reverse("programmes:manage_application", args=[application.pk]))
    assert response.status_code == 403 and "another department" in response.content.decode()


def test_the_dashboard_renders_its_charts(client, login, rep, officer, firm, call):
    submitted(rep, call)
    login(officer)
    response = client.get(reverse("programmes:manage"))
    assert response.status_code == 200 and "chart-bar" in response.content.decode()


def test_the_form_builder_adds_moves_and_refuses_bad_fields(client, login, officer, programme):
    from shuangchuang.programmes.tests.conftest import make_call

    call = make_call(programme, publish=False, form_schema={"fields": []})
    login(officer)
    url = reverse("programmes:form_builder", args=[call.pk])
    client.post(url, {"action": "add", "key": "revenue", "type": "money", "label": "Revenue", "required": "on"})
    client.post(url, {"action": "add", "key": "kind", "type": "choice", "label": "Kind",
                      "choices": "a=Alpha\nb=Beta"})
    client.post(url, {"action": "up", "key": "kind"})
    assert [f["key"] for f in Call.objects.get(pk=call.pk).form_schema["fields"]] == ["kind", "revenue"]
    response = client.post(url, {"action": "add", "key": "bad", "type": "choice", "label": "No choices"})
    assert response.status_code == 400 and len(Call.objects.get(pk=call.pk).form_schema["fields"]) == 2


def test_a_reviewer_declares_before_seeing_the_answers(client, login, rep, officer, firm, call):
    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    user = make_user("page-reviewer")
    grant(user, officer.organisation, Role.REVIEWER)
    assignment = Assignment.objects.create(application=application, reviewer=user)
    login(actor_for(user, officer.organisation))
    url = reverse("programmes:review", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "conflict of interest" in page and "A maker space for hardware" not in page
    client.post(url, {"declare": "1", "conflict": "no"})
    assert "A maker space for hardware" in client.get(url).content.decode()


def test_a_conflicted_reviewer_cannot_download_the_files(client, login, rep, officer, firm, call):
    from shuangchuang.programmes.services import conflict_declare

    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    user = make_user("conflicted-reviewer")
    grant(user, officer.organisation, Role.REVIEWER)
    reviewer = actor_for(user, officer.organisation)
    assignment = Assignment.objects.create(application=application, reviewer=user)
    conflict_declare(actor=reviewer, assignment=assignment, conflict=True, kind="related_firm")
    login(reviewer)
    stored = application.files.first()
    response = client.get(reverse("programmes:attachment", args=[application.pk, stored.pk]))
    assert response.status_code == 403 and "excluded" in response.content.decode()


def test_the_applicant_records_a_kpi_actual_on_the_page(client, login, rep, officer, firm, programme):
    from shuangchuang.programmes.models import Kpi
    from shuangchuang.programmes.services import kpi_add
    from shuangchuang.programmes.tests.conftest import make_call

    call = make_call(programme, stages=["formal_check", "committee"])
    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    application = application_transition(actor=officer, application=application, transition="propose",
                                         amount_fen=100_000_00)
    application = application_transition(actor=officer, application=application, transition="award")
    kpi = kpi_add(actor=officer, award=application.award, name="新增就业", target="10", unit="人")
    login(rep)
    client.post(reverse("programmes:kpi_actual", args=[application.pk, kpi.pk]), {"actual": "12"})
    assert Kpi.objects.get(pk=kpi.pk).actual == 12
    assert "Award" in client.get(reverse("programmes:application", args=[application.pk])).content.decode()


def test_the_officer_sees_the_award_the_ledger_and_records_a_milestone(client, login, rep, officer, firm, programme):
    from shuangchuang.programmes.services import agreement_sign
    from shuangchuang.programmes.tests.conftest import make_call

    call = make_call(programme, stages=["formal_check", "committee", "agreement"])
    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    application = application_transition(actor=officer, application=application, transition="propose",
                                         amount_fen=100_000_00)
    application = application_transition(actor=officer, application=application, transition="award")
    agreement_sign(actor=officer, award=application.award, terms="条款", milestones=[
        {"title": "样机", "due_on": "2027-01-01"}])
    login(officer)
    url = reverse("programmes:manage_application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Support ledger of the enterprise" in page and "100,000.00" in page
    milestone = application.award.milestones.get()
    client.post(reverse("programmes:milestone", args=[application.pk, milestone.pk]),
                {"done_on": "2026-01-05", "evidence": "验收报告"})
    milestone.refresh_from_db()
    assert milestone.done_on is not None and milestone.evidence == "验收报告"


def test_an_officer_creates_a_programme_and_a_call_through_the_pages(client, login, officer):
    from shuangchuang.programmes.models import Programme

    login(officer)
    response = client.post(reverse("programmes:programme_new"), {
        "code": "web-programme", "name": "网页新建项目", "annual_cap": "500000", "refuse_double_funding": "on"})
    programme = Programme.objects.get(code="web-programme")
    assert response.status_code == 302 and programme.annual_cap_fen == 500_000_00
    response = client.post(reverse("programmes:call_new", args=[programme.pk]), {
        "title": "网页新建批次", "year": "2026", "online_opens_at": "2026-11-01T09:00",
        "online_closes_at": "2026-10-01T09:00", "budget": "1000000", "reviewers_per_application": "3",
        "aggregation": "mean"})
    assert response.status_code == 400 and "close after they open" in response.content.decode()
    response = client.post(reverse("programmes:call_new", args=[programme.pk]), {
        "title": "网页新建批次", "year": "2026", "online_opens_at": "2026-11-01T09:00",
        "online_closes_at": "2026-12-31T17:00", "budget": "1000000", "reviewers_per_application": "3",
        "aggregation": "mean", "stages": ["formal_check", "committee"],
        "criteria": '[{"key": "a", "label": "A", "max": 10}]'})
    assert response.status_code == 302
    call = Call.objects.get(title="网页新建批次")
    page = client.get(reverse("programmes:call_manage", args=[call.pk])).content.decode()
    assert "in the register meet" in page
    from django.utils import timezone

    assert call.budget_fen == 1_000_000_00 and call.criteria[0]["max"] == 10
    assert timezone.localtime(call.online_closes_at).hour == 17  # Asia/Shanghai


@pytest.mark.parametrize("path, data", [
    ("evaluate", {"clawback": "lots", "reason": "x"}),
    ("evaluate", {"kpi_name": "就业", "kpi_target": "many"}),
    ("evaluate", {"outcome": "brilliant", "note": "x"}),
    ("site_visit", {"visited_on": "yesterday", "visitors": "a", "findings": "b", "recommendation": "support"}),
    ("agreement", {"terms": "t", "milestones": "not-a-date 样机"}),
])
def test_bad_officer_input_is_a_message_not_a_server_error(client, login, rep, officer, firm, programme, path,
                                                           data):
    from shuangchuang.programmes.tests.conftest import make_call

    call = make_call(programme, stages=["formal_check", "committee", "site_visit", "agreement"])
    application = application_transition(actor=officer, application=submitted(rep, call), transition="accept")
    if path != "site_visit":
        application = application_transition(actor=officer, application=application, transition="propose",
                                             amount_fen=100_000_00)
        application = application_transition(actor=officer, application=application, transition="award")
    login(officer)
    response = client.post(reverse(f"programmes:{path}", args=[application.pk]), data, follow=True)
    assert response.status_code == 200 and '<li class="error">' in response.content.decode()


def test_filters_with_junk_values_do_not_fail(client, login, officer):
    login(officer)
    response = client.get(reverse("programmes:applications"), {"call": "abc", "state": "nonsense",
                                                                "ordering": "DROP", "page": "9999"})
    assert response.status_code == 200
