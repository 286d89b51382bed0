"""The registry API under /api/v1: the OpenAPI document, USCC check, enterprise search and public record."""

import pytest
from openapi_spec_validator import validate

from shuangchuang.core.tests.factories import enterprise_code
from shuangchuang.registry.models import Enterprise
from shuangchuang.registry.tests.factories import LEGAL_REP_ID, register
from shuangchuang.registry.uscc import check_char, make_uscc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BASE = make_uscc("9", "1", "440300", "MA5D1234")  # 91440300MA5D12340D

PUBLIC_FIELDS = {
    "uscc", "name", "legal_form", "legal_form_display", "status", "status_display", "district", "industry_section",
    "industry_division", "industry_name", "founded_on", "registration_authority", "legal_representative", "address",
    "size_class",
}


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["info"]["title"] == "Shuangchuang API"
    for path in ["/api/v1/uscc/{code}", "/api/v1/enterprises", "/api/v1/enterprises/{uscc}", "/api/v1/me"]:
        assert path in spec["paths"], path
    assert "/api/v1/uscc/" not in spec["paths"]


def test_docs_page(client):
    assert client.get("/api/v1/docs").status_code == 200


class TestUsccCheck:
    def check(self, client, code):
        response = client.get(f"/api/v1/uscc/{code}")
        assert response.status_code == 200
        return response.json()

    def test_valid(self, client):
        body = self.check(client, BASE.lower())
        assert body["code"] == BASE
        assert (body["valid"], body["reason"], body["message"]) == (True, None, None)
        assert body["parts"]["region"] == "深圳市"

    @pytest.mark.parametrize("code", ["91110000600037341L", "91512081MA62K0260E", "Y1110000600037341Y"])
    def test_valid_vectors(self, client, code):
        assert self.check(client, code)["valid"] is True

    def test_empty(self, client):
        body = self.check(client, "")
        assert (body["valid"], body["reason"], body["message"]) == (False, "empty", "Enter a code.")

    def test_seventeen_characters(self, client):
        body = self.check(client, BASE[:17])
        assert (body["valid"], body["reason"]) == (False, "wrong_length")
        assert body["message"] == "A unified social credit code has 18 characters."

    @pytest.mark.parametrize("letter", list("IOZSV"))
    def test_forbidden_letters(self, client, letter):
        body = self.check(client, BASE[:9] + letter + BASE[10:])
        assert (body["valid"], body["reason"]) == (False, "forbidden_letter")

    def test_invalid_character(self, client):
        body = self.check(client, BASE[:4] + "%2A" + BASE[5:])  # '*'
        assert (body["valid"], body["reason"]) == (False, "invalid_character")

    def test_wrong_check_character(self, client):
        body = self.check(client, BASE[:17] + ("1" if BASE[17] != "1" else "2"))
        assert (body["valid"], body["reason"]) == (False, "check_character")
        assert body["message"] == "The check character (character 18) is wrong."

    def test_wrong_gb11714_check(self, client):
        first17 = BASE[:16] + ("1" if BASE[16] != "1" else "2")
        body = self.check(client, first17 + check_char(first17))
        assert (body["valid"], body["reason"]) == (False, "organisation_code_check")
        assert body["parts"]["organisation_code"] == first17[8:17]

    @pytest.mark.parametrize("code", ["x" * 200, "%20", "9144%2F0300", "'; DROP TABLE x; --", "中文统一社会信用代码中文统一社会信用"])
    def test_never_a_server_error(self, client, code):
        response = client.get(f"/api/v1/uscc/{code}")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert response.json()["valid"] is False


def by_name(part):
    return list(Enterprise.objects.filter(name__contains=part).order_by("name", "id").values_list("name", flat=True))


@pytest.fixture
def firms(firm_a, mqsa):
    """firm A (甲) plus two more enterprises whose names contain 科技."""
    register(uscc=enterprise_code(2), name="深圳市乙科技有限公司", registration_authority=mqsa, employees=12,
             revenue_fen=99_000_000)
    register(uscc=enterprise_code(3), name="深圳市丙贸易有限公司", registration_authority=mqsa)
    return firm_a


class TestSearch:
    def test_by_uscc(self, client, firms):
        body = client.get("/api/v1/enterprises", {"q": firms.uscc.lower()}).json()
        assert body["count"] == 1
        assert [e["uscc"] for e in body["items"]] == [firms.uscc]

    def test_by_part_of_the_name(self, client, firms):
        body = client.get("/api/v1/enterprises", {"q": "科技"}).json()
        assert body["count"] == 2
        assert {e["name"] for e in body["items"]} == {"深圳市乙科技有限公司", "深圳市甲科技有限公司"}
        assert [e["name"] for e in body["items"]] == by_name("科技")  # by name, in the database's collation
        assert client.get("/api/v1/enterprises", {"q": "贸易"}).json()["count"] == 1
        assert client.get("/api/v1/enterprises", {"q": "不存在"}).json() == {
            "count": 0, "page": 1, "page_size": 20, "items": []}

    def test_empty_query_finds_nothing(self, client, firms):
        assert client.get("/api/v1/enterprises").json()["count"] == 0

    def test_public_fields_only(self, client, firms, legal_rep_person):
        response = client.get("/api/v1/enterprises", {"q": "甲科技"})
        [item] = response.json()["items"]
        assert set(item) == PUBLIC_FIELDS
        assert item["legal_representative"] == "李明"
        assert item["registration_authority"] == "深圳市市场和质量监督管理委员会"
        assert item["size_class"] == "small"
        text = response.content.decode()
        for secret in ["employees", "revenue", "assets", "rd_expense", LEGAL_REP_ID, "id_number",
                       str(firms.revenue_fen), str(firms.total_assets_fen)]:
            assert secret not in text, secret

    def test_paging(self, client, firm_a, mqsa):
        for i in range(2, 8):
            register(uscc=enterprise_code(i), name=f"深圳市科技{i}号有限公司", registration_authority=mqsa)
        first = client.get("/api/v1/enterprises", {"q": "科技", "page_size": 3}).json()
        second = client.get("/api/v1/enterprises", {"q": "科技", "page_size": 3, "page": 2}).json()
        third = client.get("/api/v1/enterprises", {"q": "科技", "page_size": 3, "page": 3}).json()
        assert (first["count"], first["page"], first["page_size"]) == (7, 1, 3)
        assert (len(first["items"]), len(second["items"]), len(third["items"])) == (3, 3, 1)
        names = [e["name"] for page in (first, second, third) for e in page["items"]]
        assert len(set(names)) == 7
        assert names == by_name("科技")
        beyond = client.get("/api/v1/enterprises", {"q": "科技", "page_size": 3, "page": 9}).json()
        assert (beyond["count"], beyond["items"]) == (7, [])

    def test_page_size_capped_at_100(self, client, mqsa):
        for i in range(1, 106):
            register(uscc=enterprise_code(i), name=f"深圳市批量{i:03d}有限公司", registration_authority=mqsa)
        body = client.get("/api/v1/enterprises", {"q": "批量", "page_size": 1000}).json()
        assert (body["count"], body["page_size"], len(body["items"])) == (105, 100, 100)
        body = client.get("/api/v1/enterprises", {"q": "批量", "page_size": 0, "page": 0}).json()
        assert (body["page"], body["page_size"], len(body["items"])) == (1, 1, 1)

    @pytest.mark.parametrize("params", [{"page_size": "abc"}, {"page": "x"}])
    def test_non_numeric_paging_is_422(self, client, params):
        response = client.get("/api/v1/enterprises", {"q": "科技", **params})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        assert error["message"] == "The request is not valid."


class TestDetail:
    def test_public_record(self, client, firm_a):
        response = client.get(f"/api/v1/enterprises/{firm_a.uscc.lower()}")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == PUBLIC_FIELDS
        assert (body["uscc"], body["district"], body["industry_division"], body["founded_on"]) == (
            firm_a.uscc, "南山区", "39", "2019-05-20")
        assert "2800000000" not in response.content.decode()
        assert LEGAL_REP_ID not in response.content.decode()

    def test_not_found(self, client):
        response = client.get(f"/api/v1/enterprises/{BASE}")
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}

    def test_unknown_path_under_the_api(self, client):
        response = client.get("/api/v1/no-such-thing")
        assert response.status_code == 404


@pytest.mark.parametrize("params", [{"page": str(10**20)}, {"page": "-5"}, {"page_size": "-1"},
                                    {"page_size": str(10**20)}])
def test_extreme_paging_is_never_a_server_error(client, firm_a, params):
    response = client.get("/api/v1/enterprises", {"q": "科技", **params})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["page_size"] <= 100
