"""The credit API: public lists, entries and records; screening with evidence and its rate limit; officers'
adjudications, imports and jobs with a token."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.services import api_token_create
from shuangchuang.core.tests.factories import SYSTEM, actor_for, enterprise_code, id_number
from shuangchuang.credit.models import Adjudication, ListEntry, ScreeningEvidence
from shuangchuang.credit.services import annual_report_file, entry_remove, list_create
from shuangchuang.credit.tests.conftest import add_entry

pytestmark = pytest.mark.django_db

NAME = "深圳市鹏城创芯科技有限公司"
CODE = enterprise_code(501)
BASE = "/api/v1/credit"


def bearer(raw_key):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


@pytest.fixture
def listed(dishonest):
    return add_entry(dishonest, name=NAME, uscc=CODE)


@pytest.fixture
def court_token(officer_ipc, ipc):
    return api_token_create(actor=actor_for(officer_ipc, ipc), name="court sync")[1]


@pytest.fixture
def fin_token(officer_fin, fin):
    return api_token_create(actor=actor_for(officer_fin, fin), name="procurement")[1]


class TestLists:
    def test_public_lists_with_department_basis_and_restrictions(self, client, fin):
        list_create(actor=SYSTEM, department=fin, code="internal", name="内部名单", legal_basis="内部", is_public=False)
        body = client.get(f"{BASE}/lists").json()
        by_code = {row["code"]: row for row in body}
        assert "internal" not in by_code
        dishonest = by_code["dishonest-debtor"]
        assert (dishonest["department"], dishonest["department_code"]) == ("深圳市中级人民法院", "SZ-IPC")
        assert {r["action"] for r in dishonest["restrictions"]} >= {"procurement", "bidding", "special_fund"}

    def test_entries_are_paged_searchable_and_masked(self, client, dishonest):
        for i in range(3):
            add_entry(dishonest, name=f"深圳市分页{i}科技有限公司", case_number=f"(2025)粤03执{i}号")
        person = add_entry(dishonest, subject_type="person", name="王某某", id_number=id_number(321))
        body = client.get(f"{BASE}/lists/dishonest-debtor/entries", {"page_size": 2}).json()
        assert (body["count"], body["page_size"], len(body["items"])) == (4, 2, 2)
        found = client.get(f"{BASE}/lists/{dishonest.pk}/entries", {"q": "王某"}).json()["items"]
        assert [e["id"] for e in found] == [person.pk]
        assert found[0]["id_number"] == person.id_number[:4] + "**********" + person.id_number[-4:]
        assert person.id_number not in client.get(f"{BASE}/lists/dishonest-debtor/entries").content.decode()

    def test_removed_entries_leave_the_published_list(self, client, listed):
        entry_remove(actor=SYSTEM, entry=listed, reason="已履行")
        assert client.get(f"{BASE}/lists/dishonest-debtor/entries").json()["count"] == 0

    def test_a_list_that_is_not_public_is_not_found(self, client, fin):
        list_create(actor=SYSTEM, department=fin, code="internal", name="内部名单", legal_basis="内部", is_public=False)
        response = client.get(f"{BASE}/lists/internal/entries")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


class TestEnterpriseRecord:
    def test_the_public_record_shows_listings_and_annual_reports_without_unpublished_figures(
            self, client, registered_a, rep_a, enterprise_a, dishonest):
        add_entry(dishonest, name=registered_a.name, uscc=registered_a.uscc)
        annual_report_file(actor=actor_for(rep_a, enterprise_a), enterprise=registered_a, year=2025,
                           on=datetime.date(2026, 3, 1), address="深圳市南山区科技园", phone="0755-26000000",
                           operating_status="operating", revenue_fen=123_400, publish_figures=False)
        body = client.get(f"{BASE}/enterprises/{registered_a.uscc}").json()
        assert (body["name"], body["listed"], len(body["listings"])) == (registered_a.name, True, 1)
        report = body["annual_reports"][0]
        assert (report["year"], report["address"], report["figures_published"], report["figures"]) == (
            2025, "深圳市南山区科技园", False, None)
        assert "123400" not in str(body)

    def test_an_unknown_code_is_not_found(self, client):
        assert client.get(f"{BASE}/enterprises/{CODE}").status_code == 404


class TestScreen:
    def test_anyone_screens_a_name_and_gets_decision_hits_and_evidence(self, client, listed):
        response = client.post(f"{BASE}/screen", {"name": "鹏城创芯科技（深圳）有限公司", "action": "procurement"},
                               content_type="application/json", REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
        body = response.json()
        assert (body["blocked"], body["decision"], body["scope"]) == (True, "blocked", "public")
        hit = body["hits"][0]
        assert (hit["list"], hit["entry"], hit["status"]) == ("dishonest-debtor", str(listed.pk), "match")
        assert 0.9 <= hit["score"] <= 1.0 and hit["reasons"]
        evidence = ScreeningEvidence.objects.get(pk=body["evidence_id"])
        assert (evidence.client, evidence.actor_label, evidence.channel) == ("198.51.100.7", "anonymous", "api")

    def test_an_unknown_action_is_invalid_input(self, client, listed):
        response = client.post(f"{BASE}/screen", {"name": NAME, "action": "lottery"}, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_input"

    def test_screening_by_id_number_needs_an_officer_token(self, client, fin_token):
        payload = {"id_number": id_number(5), "action": "procurement"}
        refused = client.post(f"{BASE}/screen", payload, content_type="application/json")
        assert refused.status_code == 403
        assert refused.json()["error"] == {"code": "not_allowed",
                                           "message": "Screening by personal ID number is for department officers."}
        allowed = client.post(f"{BASE}/screen", payload, content_type="application/json", **bearer(fin_token))
        assert allowed.status_code == 200
        assert allowed.json()["scope"] == "officer"

    def test_a_token_that_is_not_valid_is_refused_not_taken_as_anonymous(self, client):
        response = client.post(f"{BASE}/screen", {"name": NAME, "action": "bidding"},
                               content_type="application/json", **bearer("sc_not-a-key"))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert not ScreeningEvidence.objects.exists()

    def test_public_screening_is_rate_limited_per_client(self, client, settings, listed, fin_token):
        settings.CREDIT_SCREEN_RATE_PER_MINUTE = 2
        payload = {"name": NAME, "action": "procurement"}
        codes = [client.post(f"{BASE}/screen", payload, content_type="application/json",
                             REMOTE_ADDR="203.0.113.1").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited = client.post(f"{BASE}/screen", payload, content_type="application/json", REMOTE_ADDR="203.0.113.1")
        assert limited.json()["error"]["code"] == "rate_limited"
        assert ScreeningEvidence.objects.count() == 2
        other_client = client.post(f"{BASE}/screen", payload, content_type="application/json",
                                   REMOTE_ADDR="203.0.113.2")
        assert other_client.status_code == 200
        officer = [client.post(f"{BASE}/screen", payload, content_type="application/json", REMOTE_ADDR="203.0.113.1",
                               **bearer(fin_token)).status_code for _ in range(3)]
        assert officer == [200, 200, 200]


class TestEvidenceAndAdjudication:
    def test_public_evidence_is_a_receipt_anyone_with_its_number_reads(self, client, listed):
        evidence_id = client.post(f"{BASE}/screen", {"uscc": CODE, "action": "bidding"},
                                  content_type="application/json").json()["evidence_id"]
        body = client.get(f"{BASE}/evidence/{evidence_id}").json()
        assert (body["evidence_id"], body["blocked"], body["query"]) == (evidence_id, True, {"uscc": CODE})

    def test_who_asked_is_shown_only_to_that_person_and_officers(self, client, listed, rep_a, enterprise_a,
                                                                 fin_token):
        token = api_token_create(actor=actor_for(rep_a, enterprise_a), name="erp")[1]
        evidence_id = client.post(f"{BASE}/screen", {"uscc": CODE, "action": "bidding"},
                                  content_type="application/json", **bearer(token)).json()["evidence_id"]
        assert client.get(f"{BASE}/evidence/{evidence_id}").json()["actor"] == ""
        assert client.get(f"{BASE}/evidence/{evidence_id}", **bearer(token)).json()["actor"] == "rep-a"
        assert client.get(f"{BASE}/evidence/{evidence_id}", **bearer(fin_token)).json()["actor"] == "rep-a"
        assert "Not shown" in client.get(f"/credit/evidence/{evidence_id}/").content.decode()

    def test_an_officers_evidence_is_not_shown_to_others(self, client, listed, fin_token):
        evidence_id = client.post(f"{BASE}/screen", {"uscc": CODE, "action": "bidding"},
                                  content_type="application/json", **bearer(fin_token)).json()["evidence_id"]
        assert client.get(f"{BASE}/evidence/{evidence_id}").status_code == 403
        assert client.get(f"{BASE}/evidence/{evidence_id}", **bearer(fin_token)).status_code == 200
        assert client.get(f"{BASE}/evidence/not-a-uuid").status_code == 404

    def test_an_officer_adjudicates_a_review_hit(self, client, listed, fin_token):
        evidence_id = client.post(f"{BASE}/screen", {"name": "深圳市彭城创新科技有限公司", "action": "procurement"},
                                  content_type="application/json", **bearer(fin_token)).json()["evidence_id"]
        anonymous = client.post(f"{BASE}/evidence/{evidence_id}/adjudications",
                                {"entry": str(listed.pk), "decision": "same"}, content_type="application/json")
        assert anonymous.status_code == 403
        response = client.post(f"{BASE}/evidence/{evidence_id}/adjudications",
                               {"entry": str(listed.pk), "decision": "same", "note": "曾用名"},
                               content_type="application/json", **bearer(fin_token))
        assert response.status_code == 201
        assert response.json()["decision"] == "same"
        assert Adjudication.objects.get().note == "曾用名"
        again = client.post(f"{BASE}/screen", {"name": "深圳市彭城创新科技有限公司", "action": "procurement"},
                            content_type="application/json").json()
        assert (again["blocked"], again["hits"][0]["status"]) == (True, "confirmed")


class TestImportsAndJobs:
    CSV = ("name,uscc,reason,listed_on\n"
           f"深圳市接口导入科技有限公司,{enterprise_code(61)},拒不履行,2025-06-01\n"
           "深圳市缺日期科技有限公司,,拒不履行,\n")

    def upload(self, text=None):
        return SimpleUploadedFile("entries.csv", (text or self.CSV).encode(), content_type="text/csv")

    def test_a_file_with_a_bad_row_is_refused_with_the_row_and_nothing_imported(self, client, court_token):
        response = client.post(f"{BASE}/lists/dishonest-debtor/imports", {"file": self.upload()}, **bearer(court_token))
        assert response.status_code == 400
        body = response.json()
        assert (body["status"], body["created"]) == ("rejected", 0)
        assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(3, "listed_on", "required")]
        assert not ListEntry.objects.exists()

    def test_skipping_bad_rows_imports_the_rest(self, client, court_token):
        response = client.post(f"{BASE}/lists/dishonest-debtor/imports",
                               {"file": self.upload(), "skip_bad_rows": "true"}, **bearer(court_token))
        assert response.status_code == 200
        assert (response.json()["created"], response.json()["skipped"]) == (1, 1)

    def test_another_departments_token_cannot_import(self, client, fin_token):
        response = client.post(f"{BASE}/lists/dishonest-debtor/imports", {"file": self.upload()}, **bearer(fin_token))
        assert response.status_code == 403
        assert not ListEntry.objects.exists()

    def test_bulk_screening_runs_in_the_background_and_reports_each_row(self, client, listed, fin_token,
                                                                         django_capture_on_commit_callbacks):
        text = f"name,uscc\n{NAME},\n,{CODE}\n深圳市无关科技有限公司,\n"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{BASE}/screen/bulk", {"file": self.upload(text), "action": "procurement"},
                                   **bearer(fin_token))
        assert response.status_code == 202
        job_id = response.json()["id"]
        job = client.get(f"{BASE}/jobs/{job_id}", **bearer(fin_token)).json()
        assert (job["status"], job["processed"], job["percent"], job["hits"]) == ("done", 3, 100, 2)
        rows = client.get(f"{BASE}/jobs/{job_id}/rows", **bearer(fin_token)).json()["items"]
        assert [(r["row"], r["decision"], r["blocked"]) for r in rows] == [
            (2, "blocked", True), (3, "blocked", True), (4, "clear", False)]
        assert ScreeningEvidence.objects.filter(job_id=job_id).count() == 3
        assert client.get(f"{BASE}/jobs/{job_id}").status_code == 403

    def test_bulk_screening_is_for_officers(self, client, rep_a, enterprise_a):
        token = api_token_create(actor=actor_for(rep_a, enterprise_a), name="erp")[1]
        response = client.post(f"{BASE}/screen/bulk", {"file": self.upload("name\n甲\n"), "action": "procurement"},
                               **bearer(token))
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "Bulk screening is for department officers."

    def test_the_openapi_schema_documents_the_credit_endpoints(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        assert {"/api/v1/credit/screen", "/api/v1/credit/lists", "/api/v1/credit/lists/{list_id}/entries",
                "/api/v1/credit/enterprises/{uscc}"} <= set(paths)
