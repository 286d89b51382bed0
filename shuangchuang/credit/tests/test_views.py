"""Credit pages: public search, lists and records (ID numbers masked), screening with evidence, officers' pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.tests.factories import SYSTEM, actor_for, enterprise_code, id_number
from shuangchuang.credit.models import EntryStatus, ImportBatch, Job, ListEntry, ScreeningEvidence
from shuangchuang.credit.services import annual_report_file, entry_remove, list_create
from shuangchuang.credit.tests.conftest import REP_ID, add_entry

pytestmark = pytest.mark.django_db

NAME = "深圳市鹏城创芯科技有限公司"
CODE = enterprise_code(501)
PERSON_ID = id_number(321)
MASKED = PERSON_ID[:4] + "**********" + PERSON_ID[-4:]


@pytest.fixture
def listed(dishonest):
    return add_entry(dishonest, name=NAME, uscc=CODE, case_number="(2025)粤03执88号")


@pytest.fixture
def person(dishonest):
    return add_entry(dishonest, subject_type="person", name="王某某", id_number=PERSON_ID, sex="男", age="45")


class TestPublicPages:
    def test_the_credit_module_is_in_the_navigation(self, client):
        body = client.get("/").content.decode()
        assert 'href="/credit/"' in body

    def test_search_finds_entries_by_name_and_masks_id_numbers(self, client, listed, person):
        response = client.get("/credit/", {"q": "王某"})
        body = response.content.decode()
        assert "王某某" in body and MASKED in body and PERSON_ID not in body
        assert client.get("/credit/", {"q": CODE}, HTTP_HX_REQUEST="true").content.decode().count(NAME) == 1

    def test_search_by_id_number_shows_the_person_masked(self, client, person):
        body = client.get("/credit/", {"q": PERSON_ID}).content.decode()
        results = body.split('id="results"')[1]
        assert "王某某" in results and MASKED in results
        assert PERSON_ID not in results

    def test_a_live_search_returns_only_the_results(self, client, listed):
        response = client.get("/credit/", {"q": "鹏城"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert NAME in body and "<html" not in body

    def test_the_list_page_shows_rules_restrictions_and_masked_entries(self, client, listed, person):
        body = client.get("/credit/lists/dishonest-debtor/").content.decode()
        assert "深圳市中级人民法院" in body and "(2025)粤03执88号" in body
        assert "Government procurement" in body
        assert MASKED in body and PERSON_ID not in body

    def test_a_list_that_is_not_public_has_no_public_page(self, client, fin):
        list_create(actor=SYSTEM, department=fin, code="internal", name="内部名单", legal_basis="内部", is_public=False)
        assert client.get("/credit/lists/internal/").status_code == 404

    def test_the_credit_record_shows_listings_history_and_reports(self, client, registered_a, rep_a, enterprise_a,
                                                                  dishonest, abnormal):
        add_entry(dishonest, name=registered_a.name, uscc=registered_a.uscc, reason="拒不履行判决")
        old = add_entry(abnormal, name=registered_a.name, uscc=registered_a.uscc, reason="未按期年报",
                        listed_on="2024-07-01")
        entry_remove(actor=SYSTEM, entry=old, reason="已补报", on=datetime.date(2024, 9, 1))
        actor = actor_for(rep_a, enterprise_a)
        annual_report_file(actor=actor, enterprise=registered_a, year=2025, on=datetime.date(2026, 3, 1),
                           address="旧地址", phone="0755-1", operating_status="operating")
        annual_report_file(actor=actor, enterprise=registered_a, year=2025, on=datetime.date(2026, 5, 1),
                           address="新地址", phone="0755-2", operating_status="operating", publish_figures=True,
                           revenue_fen=100_000)
        body = client.get(f"/credit/enterprises/{registered_a.uscc}/").content.decode()
        assert "拒不履行判决" in body and "已补报" in body
        assert "旧地址" in body and "新地址" in body  # both versions of a corrected report
        assert "¥1,000.00" in body
        assert REP_ID not in body

    def test_unknown_enterprise_is_not_found(self, client):
        assert client.get(f"/credit/enterprises/{CODE}/").status_code == 404


class TestScreeningPage:
    def test_anyone_screens_and_sees_the_decision_with_its_legal_basis_and_evidence(self, client, listed):
        response = client.post("/credit/screen/", {"name": "鹏城创芯科技（深圳）有限公司", "action": "procurement"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Blocked for Government procurement" in body
        assert "失信被执行人名单信息的若干规定" in body
        evidence = ScreeningEvidence.objects.get()
        assert str(evidence.pk) in body and evidence.channel == "web"
        assert 'name="id_number"' not in body  # the public form has no ID number field

    def test_an_htmx_screening_returns_the_result_only(self, client, listed):
        response = client.post("/credit/screen/", {"uscc": CODE, "action": "voucher"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert "Not restricted for Innovation or rent voucher" in body and "<html" not in body

    def test_a_wrong_code_is_shown_on_its_field(self, client):
        bad = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
        body = client.post("/credit/screen/", {"uscc": bad, "action": "procurement"}).content.decode()
        assert "The check character (character 18) is wrong." in body
        assert not ScreeningEvidence.objects.exists()

    def test_the_page_is_rate_limited(self, client, settings, listed):
        settings.CREDIT_SCREEN_RATE_PER_MINUTE = 1
        assert client.post("/credit/screen/", {"uscc": CODE, "action": "procurement"}).status_code == 200
        response = client.post("/credit/screen/", {"uscc": CODE, "action": "procurement"})
        assert response.status_code == 429
        assert "Too many screenings from this client. Try again in a minute." in response.content.decode()

    def test_an_officer_screens_by_id_number_and_adjudicates_on_the_evidence_page(self, login, officer_fin, listed,
                                                                                   person):
        client = login(officer_fin)
        body = client.post("/credit/screen/", {"id_number": PERSON_ID, "action": "procurement"}).content.decode()
        assert "Blocked for Government procurement" in body
        client.post("/credit/screen/", {"name": "深圳市彭城创新科技有限公司", "action": "procurement"})
        review = ScreeningEvidence.objects.get(decision="review")
        page = client.get(f"/credit/evidence/{review.pk}/").content.decode()
        assert "Same party" in page
        response = client.post(f"/credit/evidence/{review.pk}/adjudicate/",
                               {"entry": listed.pk, "decision": "same", "note": "曾用名"})
        assert response.status_code == 302
        again = client.post("/credit/screen/", {"name": "深圳市彭城创新科技有限公司", "action": "procurement"})
        assert "Blocked for Government procurement" in again.content.decode()

    def test_an_officers_evidence_is_refused_to_the_public(self, client, login, officer_fin, listed):
        login(officer_fin).post("/credit/screen/", {"uscc": CODE, "action": "procurement"})
        evidence = ScreeningEvidence.objects.get()
        client.logout()
        response = client.get(f"/credit/evidence/{evidence.pk}/")
        assert response.status_code == 403


class TestOfficerPages:
    def test_the_officer_sees_the_lists_of_their_department_only(self, login, officer_ipc, dishonest):
        body = login(officer_ipc).get("/credit/manage/").content.decode()
        assert "失信被执行人名单" in body and "经营异常名录" not in body

    def test_the_manage_pages_refuse_people_who_are_not_officers(self, login, rep_a, dishonest):
        client = login(rep_a)
        assert client.get("/credit/manage/").status_code == 403
        assert client.get(f"/credit/manage/lists/{dishonest.pk}/").status_code == 403

    def test_an_officer_of_another_department_cannot_open_a_list(self, login, officer_stic, dishonest):
        response = login(officer_stic).get(f"/credit/manage/lists/{dishonest.pk}/")
        assert response.status_code == 403
        assert "This list belongs to another department" in response.content.decode()

    def test_the_list_page_shows_entries_with_full_id_numbers_for_the_issuing_department(self, login, officer_ipc,
                                                                                        dishonest, person):
        client = login(officer_ipc)
        assert client.get(f"/credit/manage/lists/{dishonest.pk}/").status_code == 200
        assert PERSON_ID in client.get(f"/credit/manage/entries/{person.pk}/").content.decode()

    def test_an_officer_adds_edits_and_removes_an_entry(self, login, officer_ipc, dishonest):
        client = login(officer_ipc)
        response = client.post(f"/credit/manage/lists/{dishonest.pk}/entries/new/", {
            "subject_type": "enterprise", "name": "深圳市手工录入科技有限公司", "uscc": CODE, "reason": "拒不履行",
            "listed_on": "2025-08-01"})
        entry = ListEntry.objects.get()
        assert response.status_code == 302 and response.url == f"/credit/manage/entries/{entry.pk}/"
        data = {"subject_type": "enterprise", "name": entry.name, "uscc": CODE, "reason": "拒不履行，已立案",
                "listed_on": "2025-08-01"}
        client.post(f"/credit/manage/entries/{entry.pk}/", data)
        entry.refresh_from_db()
        assert (entry.reason, entry.version) == ("拒不履行，已立案", 2)
        client.post(f"/credit/manage/entries/{entry.pk}/remove/", {"reason": "已履行完毕"})
        entry.refresh_from_db()
        assert (entry.status, entry.removal_reason) == (EntryStatus.REMOVED, "已履行完毕")
        page = client.get(f"/credit/manage/entries/{entry.pk}/").content.decode()
        assert "History" in page

    def test_an_officer_imports_a_file_after_checking_it(self, login, officer_ipc, dishonest,
                                                          django_capture_on_commit_callbacks):
        client = login(officer_ipc)
        text = ("name,uscc,reason,listed_on\n"
                f"深圳市页面导入科技有限公司,{CODE},拒不履行,2025-06-01\n"
                "深圳市坏行科技有限公司,,,2025-06-01\n")
        upload = SimpleUploadedFile("court.csv", text.encode(), content_type="text/csv")
        response = client.post(f"/credit/manage/lists/{dishonest.pk}/import/", {"file": upload})
        batch = ImportBatch.objects.get()
        assert response.url == f"/credit/manage/imports/{batch.pk}/"
        page = client.get(response.url).content.decode()
        assert "The reason is missing." in page and "Skip the 1 bad row" in page
        client.post(response.url, {})
        assert not ListEntry.objects.exists()
        batch.refresh_from_db()
        assert batch.status == "rejected"

    def test_skipping_bad_rows_on_the_page_imports_the_good_ones_and_starts_a_rescreen(
            self, login, officer_ipc, dishonest, registered_a, django_capture_on_commit_callbacks):
        client = login(officer_ipc)
        text = ("name,uscc,reason,listed_on\n"
                f"{registered_a.name},{registered_a.uscc},拒不履行,2025-06-01\n"
                "深圳市坏行科技有限公司,,,2025-06-01\n")
        client.post(f"/credit/manage/lists/{dishonest.pk}/import/",
                    {"file": SimpleUploadedFile("court.csv", text.encode(), content_type="text/csv")})
        batch = ImportBatch.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/credit/manage/imports/{batch.pk}/", {"skip_bad_rows": "1"})
        assert ListEntry.objects.count() == 1
        job = Job.objects.get(kind="rescreen")
        page = client.get(f"/credit/manage/jobs/{job.pk}/").content.decode()
        assert registered_a.name in page and 'max="100" value="100"' in page

    def test_the_progress_fragment_polls_until_the_job_is_done(self, login, officer_ipc, dishonest):
        job = Job.objects.create(kind="rescreen", credit_list=dishonest, department=dishonest.department,
                                 created_by=officer_ipc, created_by_label="officer-ipc", total=10, processed=4,
                                 status="running")
        client = login(officer_ipc)
        body = client.get(f"/credit/manage/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 2s"' in body and 'value="40"' in body
        Job.objects.filter(pk=job.pk).update(status="done", processed=10)
        response = client.get(f"/credit/manage/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
        assert "hx-trigger" not in response.content.decode() and response["HX-Refresh"] == "true"

    def test_an_officer_defines_a_list_and_a_restriction(self, login, officer_stic):
        client = login(officer_stic)
        response = client.post("/credit/manage/lists/new/", {
            "code": "voucher-watch", "name": "创新券失信名单", "kind": "custom", "subjects": "enterprises",
            "legal_basis": "深圳市科技创新券实施办法", "is_public": "on", "is_restrictive": "on",
            "repair_hides_entry": "on"})
        assert response.status_code == 302
        from shuangchuang.credit.models import CreditList

        created = CreditList.objects.get(code="voucher-watch")
        assert created.department.code == "SZ-STIC"
        client.post(f"/credit/manage/lists/{created.pk}/restrictions/new/", {
            "action": "voucher", "subject": "party", "valid_from": "2026-01-01",
            "legal_basis": "深圳市科技创新券实施办法"})
        assert list(created.restrictions.values_list("action", flat=True)) == ["voucher"]

    def test_bulk_screening_page_starts_a_job_and_offers_the_results(self, login, officer_fin, listed,
                                                                      django_capture_on_commit_callbacks):
        client = login(officer_fin)
        upload = SimpleUploadedFile("suppliers.csv", f"name,uscc,reference\n{NAME},,A-1\n".encode(),
                                    content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/credit/manage/bulk/", {"file": upload, "action": "procurement"})
        job = Job.objects.get(kind="bulk_screen")
        assert response.url == f"/credit/manage/jobs/{job.pk}/"
        csv_text = client.get(f"/credit/manage/jobs/{job.pk}/results.csv").content.decode("utf-8-sig")
        assert csv_text.splitlines()[1].startswith("2,A-1,深圳市鹏城创芯科技有限公司,,blocked,True,1,dishonest-debtor")

    def test_the_import_format_is_documented(self, client):
        body = client.get("/credit/import-format/").content.decode()
        assert "listed_on" in body and "统一社会信用代码" in body


class TestEvidenceListAndAdmin:
    def test_an_officer_sees_the_screenings_of_their_department_only(self, login, officer_fin, officer_stic,
                                                                     listed):
        login(officer_fin).post("/credit/screen/", {"uscc": CODE, "action": "procurement"})
        client = login(officer_stic)
        client.post("/credit/screen/", {"name": "深圳市无关科技有限公司", "action": "voucher"})
        body = client.get("/credit/manage/evidence/").content.decode()
        assert "officer-stic" in body and "officer-fin" not in body

    def test_operators_read_credit_data_in_the_admin(self, client, listed):
        from shuangchuang.core.tests.factories import make_user

        operator = make_user("operator")
        operator.is_staff = operator.is_superuser = True
        operator.save()
        client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
        for model in ("creditlist", "listentry", "restriction", "screeningevidence", "job", "annualreport"):
            assert client.get(f"/admin/credit/{model}/").status_code == 200
        assert client.get(f"/admin/credit/listentry/{listed.pk}/change/").status_code == 200
        assert client.post("/admin/credit/listentry/add/", {}).status_code == 403
