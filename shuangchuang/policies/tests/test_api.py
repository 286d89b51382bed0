"""The policies API: the library, a document with its measures and units, benefit matches for officers, an
enterprise's eligibility, and the calculators with their errors."""

import json

import pytest
from openapi_spec_validator import validate

from shuangchuang.core.models import Organisation
from shuangchuang.core.services import api_token_create
from shuangchuang.policies.models import Benefit, PolicyDocument
from shuangchuang.policies.tests.factories import actor_for, department, make_officer


def bearer(user, organisation):
    _token, key = api_token_create(actor=actor_for(user, organisation), name="test")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestLibraryEndpoints:
    def test_search_returns_a_page_of_documents(self, client):
        body = client.get("/api/v1/policies", {"q": "创新券"}).json()
        assert body["count"] == 2
        assert [i["number"] for i in body["items"]] == ["深府〔2016〕61号", "深科技创新规〔2015〕1号"]
        assert body["items"][0]["url"] == f"/policies/{body['items'][0]['id']}/"

    def test_a_document_comes_with_its_measures_and_their_responsible_units(self, client):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        body = client.get(f"/api/v1/policies/{doc.pk}").json()
        assert len(body["measures"]) == 34
        measure = body["measures"][17]
        assert (measure["number"], measure["title"]) == ("（十八）", "推进实施创新券等公共服务新模式")
        assert [u["code"] for u in measure["units"]] == ["SZ-STIC", "SZ-HRSS", "SZ-EDU"]
        assert measure["paragraphs"][0]["units"] == [
            {"code": "SZ-STIC", "name": "深圳市科技创新委员会", "written_as": "市科技创新委"}]
        assert "innovation-voucher" in [b["code"] for b in body["benefits"]]

    def test_an_unknown_document_is_a_404_in_the_error_shape(self, client):
        assert client.get("/api/v1/policies/999999").json() == {"error": {"code": "not_found", "message": "Not found."}}

    def test_a_benefit_shows_its_rule_and_amounts(self, client):
        voucher = Benefit.objects.get(code="innovation-voucher")
        body = client.get(f"/api/v1/benefits/{voucher.pk}").json()
        assert body["measure"] == "（十八）"
        assert {a["key"]: a["value"] for a in body["amounts"]}["voucher.cap.medium"] == "¥200,000"
        assert {a["key"]: a["value"] for a in body["amounts"]}["voucher.validity_months"] is None
        assert body["rule_text"][2] == "Size class (2011 SME standard) is one of: Medium、Small、Micro"

    def test_the_openapi_document_is_valid(self, client):
        validate(json.loads(client.get("/api/v1/openapi.json").content))


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestMatchesAndEligibility:
    def test_an_officer_of_the_department_counts_and_lists_matches(self, client, firm_a, firm_b):
        voucher = Benefit.objects.get(code="innovation-voucher")
        headers = bearer(make_officer("officer-api", "SZ-STIC"), department("SZ-STIC"))
        counted = client.get(f"/api/v1/benefits/{voucher.pk}/matches", {"count": 1}, headers=headers).json()
        assert counted["count"] == 2
        assert {r["label"]: r["count"] for r in counted["by_district"]} == {"南山区": 1, "福田区": 1}
        listed = client.get(f"/api/v1/benefits/{voucher.pk}/matches", headers=headers).json()
        assert [i["uscc"] for i in listed["items"]] == [firm_a.uscc, firm_b.uscc]

    def test_matches_need_a_token_of_the_department(self, client, firm_a):
        voucher = Benefit.objects.get(code="innovation-voucher")
        assert client.get(f"/api/v1/benefits/{voucher.pk}/matches").status_code == 401
        headers = bearer(make_officer("officer-api-amr", "SZ-MQSA"), department("SZ-MQSA"))
        response = client.get(f"/api/v1/benefits/{voucher.pk}/matches", headers=headers)
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "Only officers of the responsible department can do this."

    def test_the_enterprise_itself_sees_its_eligibility(self, client, firm_a, rep_a):
        headers = bearer(rep_a, Organisation.objects.get(code=firm_a.uscc))
        body = client.get(f"/api/v1/enterprises/{firm_a.uscc}/eligibility", headers=headers).json()
        assert "innovation-voucher" in [r["benefit"]["code"] for r in body["eligible"]]
        voucher = next(r for r in body["eligible"] if r["benefit"]["code"] == "innovation-voucher")
        assert voucher["cap"] == "¥100,000" and voucher["conditions"][0]["cite"] == "（十八）"
        hnte = next(r for r in body["near_misses"] if r["benefit"]["code"] == "hnte-recognition")
        assert hnte["what_would_change_it"] == "R&D expense as a share of revenue is at least 5% (4%)"

    def test_any_officer_may_look_up_an_enterprises_eligibility(self, client, firm_a):
        headers = bearer(make_officer("officer-api-2", "SZ-MQSA"), department("SZ-MQSA"))
        assert client.get(f"/api/v1/enterprises/{firm_a.uscc}/eligibility", headers=headers).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestCalculatorEndpoints:
    def test_rd_super_deduction(self, client):
        body = client.post("/api/v1/calculators/rd-super-deduction", {
            "tax_year": 2023, "firm_type": "general", "industry_division": "39", "expensed_fen": 100_000_000,
            "capitalised_fen": 50_000_000}, content_type="application/json").json()
        assert (body["extra_deduction_fen"], body["amortisation_base_fen"]) == (100_000_000, 100_000_000)
        assert body["rates"][0]["rate"] == "1.00"

    def test_a_year_outside_the_table_is_a_400(self, client):
        response = client.post("/api/v1/calculators/rd-super-deduction", {
            "tax_year": 2001, "industry_division": "39", "expensed_fen": 1}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "year_outside_table"

    def test_vc_tax_credit(self, client):
        status = {"listed": False, "high_tech": True, "employees": 300, "annual_sales_fen": 10_000_000_000,
                  "total_assets_fen": 15_000_000_000}
        body = client.post("/api/v1/calculators/vc-tax-credit", {
            "investments": [{"invested_on": "2021-03-15", "amount_fen": 1_000_000_000, "at_investment": status,
                             "at_24_months": status}],
            "taxable_income": [{"year": 2023, "taxable_income_fen": 500_000_000},
                               {"year": 2024, "taxable_income_fen": 500_000_000}]},
            content_type="application/json").json()
        assert body["investments"][0]["available_year"] == 2023
        assert [(y["year"], y["used_fen"], y["carry_forward_fen"]) for y in body["years"]] == [
            (2023, 500_000_000, 200_000_000), (2024, 200_000_000, 0)]

    def test_a_holding_under_24_months_is_a_400(self, client):
        status = {"employees": 1, "annual_sales_fen": 1, "total_assets_fen": 1}
        response = client.post("/api/v1/calculators/vc-tax-credit", {
            "investments": [{"invested_on": "2021-03-15", "amount_fen": 100, "disposed_on": "2022-01-01",
                             "at_investment": status, "at_24_months": status}],
            "taxable_income": [{"year": 2023, "taxable_income_fen": 1}]}, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "holding_too_short"
