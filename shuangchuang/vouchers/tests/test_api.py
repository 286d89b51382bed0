"""The API: public schemes and catalogue; holder, provider and officer endpoints with tokens; the permission
matrix (a provider sees only its own contracts, an officer only their own schemes) and that a denied action
changes nothing."""

import pytest

from shuangchuang.core.services import api_token_create
from shuangchuang.vouchers.models import Application, Contract, Journal, Redemption
from shuangchuang.vouchers.tests.conftest import TODAY, issued, pdf, registered, signed


def token(party_actor) -> dict:
    _token, raw = api_token_create(actor=party_actor, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def world(scheme, small, medium, provider, other_provider, officer):
    registered(provider, scheme, officer)
    registered(other_provider, scheme, officer, category="ip")
    voucher = issued(small, scheme, officer, amount_fen=5_000_000)
    contract = signed(small, provider, voucher, amount_fen=4_000_000)
    return voucher, contract


class TestPublic:
    def test_the_schemes_show_their_current_caps_and_categories(self, client, scheme):
        rows = client.get("/api/v1/vouchers/schemes").json()
        innovation = next(r for r in rows if r["code"] == "sz-innovation-voucher")
        assert innovation["caps_fen"] == {"medium": 20_000_000, "small": 10_000_000, "micro": 5_000_000,
                                          "maker": 1_000_000}
        assert innovation["max_share_of_fee"] == "0.5" and innovation["max_applications_per_year"] == 5
        assert [c["code"] for c in innovation["categories"]][:3] == ["research", "transfer", "testing"]
        rent = next(r for r in rows if r["code"] == "nanshan-rent-voucher")
        assert rent["caps_fen"] == {"founder": None} and rent["applicants"] == ["founder"]

    def test_the_catalogue_lists_registered_providers_by_category(self, client, world, provider):
        rows = client.get("/api/v1/vouchers/providers?category=testing").json()
        assert [r["provider"] for r in rows] == [provider.org.name]
        assert rows[0]["services"][0]["price_fen"] == 3_000_000
        assert client.get("/api/v1/vouchers/providers?category=finance").json() == []


class TestHolderAndProvider:
    def test_the_holder_sees_its_voucher_with_its_balance(self, client, world, small):
        rows = client.get("/api/v1/vouchers/my/vouchers", **token(small.actor)).json()
        assert [(r["code"], r["balance_fen"]) for r in rows] == [(world[0].code, 5_000_000)]

    def test_my_endpoints_need_a_token(self, client, world):
        response = client.get("/api/v1/vouchers/my/vouchers")
        assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"

    def test_applying_refused_answers_409_with_the_reason(self, client, world, small):
        response = client.post("/api/v1/vouchers/applications", {"scheme": "sz-innovation-voucher",
                                                                "requested_fen": 100, "purpose": "x"},
                               content_type="application/json", **token(small.actor))
        assert response.status_code == 409 and response.json()["error"]["code"] == "unused_balance"

    def test_applying_answers_201_with_the_eligibility(self, client, scheme, medium):
        response = client.post("/api/v1/vouchers/applications", {"scheme": "sz-innovation-voucher",
                                                                "requested_fen": 100_000, "purpose": "检测"},
                               content_type="application/json", **token(medium.actor))
        assert response.status_code == 201
        assert response.json()["eligibility"]["outcome"] == "pass"

    def test_a_provider_requests_redemption_once_per_key(self, client, world, provider):
        _voucher, contract = world
        data = {"contract": contract.pk, "idempotency_key": "abc-1", "holder_paid_fen": 2_000_000,
                "service_done_on": TODAY.isoformat()}
        headers = token(provider.actor)
        first = client.post("/api/v1/vouchers/redemptions",
                            {**data, "holder_payment": pdf(), "service": pdf()}, **headers)
        again = client.post("/api/v1/vouchers/redemptions",
                            {**data, "holder_payment": pdf(), "service": pdf()}, **headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"] and first.json()["amount_fen"] == 2_000_000
        assert Journal.objects.filter(kind="redeem_request").count() == 1

    def test_a_provider_sees_only_its_own_contracts(self, client, world, provider, other_provider):
        _voucher, contract = world
        assert [c["id"] for c in client.get("/api/v1/vouchers/contracts", **token(provider.actor)).json()] == \
            [contract.pk]
        other = token(other_provider.actor)
        assert client.get("/api/v1/vouchers/contracts", **other).json() == []
        response = client.get(f"/api/v1/vouchers/contracts/{contract.pk}", **other)
        assert response.status_code == 403

    def test_another_provider_cannot_redeem_a_contract_and_nothing_moves(self, client, world, other_provider):
        _voucher, contract = world
        journals = Journal.objects.count()
        response = client.post("/api/v1/vouchers/redemptions",
                               {"contract": contract.pk, "idempotency_key": "x", "holder_paid_fen": 1,
                                "service_done_on": TODAY.isoformat(), "holder_payment": pdf(), "service": pdf()},
                               **token(other_provider.actor))
        assert response.status_code == 403
        assert Journal.objects.count() == journals and not Redemption.objects.exists()

    def test_another_enterprise_cannot_confirm_the_holders_contract(self, client, scheme, small, medium, provider,
                                                                   officer):
        from shuangchuang.vouchers.services import contract_propose

        registered(provider, scheme, officer)
        voucher = issued(small, scheme, officer)
        contract = contract_propose(actor=provider.actor, voucher_code=voucher.code, category="testing", number="N",
                                    title="t", amount_fen=1_000_000, signed_on=TODAY, documents={"contract": [pdf()]})
        response = client.post(f"/api/v1/vouchers/contracts/{contract.pk}/decision", {"accept": True},
                               content_type="application/json", **token(medium.actor))
        assert response.status_code == 403
        assert Contract.objects.get(pk=contract.pk).state == "proposed"


class TestOfficers:
    def test_an_officer_reads_the_dashboard_of_their_own_scheme(self, client, world, officer):
        data = client.get("/api/v1/vouchers/schemes/sz-innovation-voucher/dashboard", **token(officer)).json()
        assert (data["budget_fen"], data["issued_fen"], data["budget_left_fen"]) == (100_000_000, 5_000_000,
                                                                                     95_000_000)

    def test_the_dashboard_names_the_categories_of_paid_redemptions(self, client, world, provider, officer):
        from shuangchuang.vouchers.tests.test_redemptions import paid, request

        paid(officer, request(provider, world[1]))
        response = client.get("/api/v1/vouchers/schemes/sz-innovation-voucher/dashboard", **token(officer))
        assert response.status_code == 200
        assert [(r["label"], r["value"], r["n"]) for r in response.json()["by_category"]] == [
            ("Testing, inspection and certification (检验检测认证)", 2_000_000, 1)]

    def test_an_officer_of_another_department_is_refused_the_dashboard(self, client, world, other_officer):
        response = client.get("/api/v1/vouchers/schemes/sz-innovation-voucher/dashboard", **token(other_officer))
        assert response.status_code == 403

    def test_an_enterprise_cannot_read_another_holders_application(self, client, scheme, small, medium):
        from shuangchuang.vouchers.services import application_submit

        application = application_submit(actor=small.actor, scheme=scheme, applicant_kind="enterprise",
                                         requested_fen=100, purpose="x")
        assert client.get(f"/api/v1/vouchers/applications/{application.pk}", **token(medium.actor)).status_code == 403
        assert Application.objects.count() == 1


def test_the_openapi_document_lists_the_voucher_endpoints(client, db):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    for path in ("/api/v1/vouchers/schemes", "/api/v1/vouchers/providers", "/api/v1/vouchers/my/vouchers",
                 "/api/v1/vouchers/contracts", "/api/v1/vouchers/redemptions"):
        assert path in spec["paths"], path


def test_listing_contracts_takes_the_same_number_of_queries_for_one_or_many(client, scheme, small, medium, provider,
                                                                              officer, django_assert_max_num_queries):
    registered(provider, scheme, officer)
    for holder in (small, medium):
        signed(holder, provider, issued(holder, scheme, officer))
    headers = token(provider.actor)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/vouchers/contracts", **headers).json()) == 2
