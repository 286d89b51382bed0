"""The pages: public schemes and catalogue; apply → issue → contract → redeem → pay through the forms; the voucher
page; who may open what (anonymous, another enterprise, another provider, another department)."""

import pytest

from shuangchuang.vouchers.models import Application, Contract, Redemption
from shuangchuang.vouchers.tests.conftest import TODAY, issued, pdf, registered, signed


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def test_the_public_pages_show_the_schemes_their_caps_and_the_catalogue(client, scheme, provider, officer):
    registered(provider, scheme, officer)
    index = client.get("/vouchers/").content.decode()
    assert "深圳市科技创新券" in index and "100,000.00" in index
    page = client.get("/vouchers/schemes/sz-innovation-voucher/").content.decode()
    assert "深科技创新规〔2015〕1号" in page and "0.5" in page
    catalogue = client.get("/vouchers/providers/?category=testing").content.decode()
    assert provider.org.name in catalogue and "30,000.00" in catalogue


def test_the_rent_scheme_says_its_face_value_is_not_set(client, scheme):
    page = client.get("/vouchers/schemes/nanshan-rent-voucher/").content.decode()
    assert "not set by the department" in page


def test_apply_shows_the_eligibility_first_and_submits(client, login, scheme, small):
    login(small.user)
    page = client.get("/vouchers/schemes/sz-innovation-voucher/apply/").content.decode()
    assert "met" in page and "100,000.00" in page
    response = client.post("/vouchers/schemes/sz-innovation-voucher/apply/",
                           {"applicant_kind": "enterprise", "requested": "50000", "purpose": "检测"})
    application = Application.objects.get()
    assert response.status_code == 302 and application.requested_fen == 5_000_000


def test_an_over_cap_request_is_shown_on_the_form_and_nothing_is_written(client, login, scheme, small):
    login(small.user)
    page = client.post("/vouchers/schemes/sz-innovation-voucher/apply/",
                       {"applicant_kind": "enterprise", "requested": "100000.01", "purpose": "检测"}).content.decode()
    assert "At most 100,000.00 yuan" in page and not Application.objects.exists()


def test_the_whole_flow_through_the_pages(client, login, scheme, small, provider, officer):
    registered(provider, scheme, officer)
    login(small.user)
    client.post("/vouchers/schemes/sz-innovation-voucher/apply/",
                {"applicant_kind": "enterprise", "requested": "50000", "purpose": "检测"})
    application = Application.objects.get()
    login(officer.user)
    client.post(f"/vouchers/manage/applications/{application.pk}/", {"transition": "publicise", "note": ""})
    client.post(f"/vouchers/manage/applications/{application.pk}/", {"transition": "issue", "note": "同意"})
    voucher = Application.objects.get().voucher
    login(small.user)
    voucher_page = client.get(f"/vouchers/v/{voucher.code}/").content.decode()
    assert voucher.code in voucher_page and f"contract/new/?voucher={voucher.code}" in voucher_page
    login(provider.user)
    assert voucher.code in client.get(f"/vouchers/provider/contract/new/?voucher={voucher.code}").content.decode()
    client.post("/vouchers/provider/contract/new/", {
        "voucher": voucher.code, "category": "testing", "number": "HT-9", "title": "EMC", "amount": "80000",
        "signed_on": TODAY.isoformat(), "contract": pdf()})
    contract = Contract.objects.get()
    login(small.user)
    client.post(f"/vouchers/contracts/{contract.pk}/decision/", {"accept": "yes"})
    assert Contract.objects.get().state == "signed"
    login(provider.user)
    form = client.get(f"/vouchers/contracts/{contract.pk}/redeem/").content.decode()
    assert "idempotency_key" in form
    client.post(f"/vouchers/contracts/{contract.pk}/redeem/", {
        "idempotency_key": "page-1", "holder_paid": "40000", "service_done_on": TODAY.isoformat(),
        "holder_payment": pdf(), "service": pdf()})
    redemption = Redemption.objects.get()
    assert redemption.amount_fen == 4_000_000
    login(officer.user)
    for step, note in (("audit", "审计无异议"), ("publicise", ""), ("pay", "")):
        client.post(f"/vouchers/manage/redemptions/{redemption.pk}/", {"transition": step, "note": note})
    assert Redemption.objects.get().state == "paid"
    dashboard = client.get("/vouchers/manage/schemes/sz-innovation-voucher/").content.decode()
    assert "40,000.00" in dashboard and "Testing, inspection and certification" in dashboard
    csv = client.get("/vouchers/manage/schemes/sz-innovation-voucher/export.csv").content.decode("utf-8-sig")
    assert voucher.code in csv and "40000.00" in csv


class TestWhoMayOpenWhat:
    def test_anonymous_visitors_are_asked_to_log_in(self, client, scheme):
        assert client.get("/vouchers/my/").status_code == 403
        assert client.get("/vouchers/manage/").status_code == 403

    def test_the_holder_sees_a_qr_code_that_starts_a_contract_for_the_voucher(self, client, login, scheme, small,
                                                                               officer):
        voucher = issued(small, scheme, officer)
        login(small.user)
        html = client.get(f"/vouchers/v/{voucher.code}/").content.decode()
        assert "<svg" in html and f"provider/contract/new/?voucher={voucher.code}" in html

    def test_another_enterprise_cannot_open_the_voucher_page(self, client, login, scheme, small, medium, officer):
        voucher = issued(small, scheme, officer)
        login(medium.user)
        assert client.get(f"/vouchers/v/{voucher.code}/").status_code == 403

    def test_another_provider_cannot_open_or_redeem_a_contract(self, client, login, scheme, small, provider,
                                                                other_provider, officer):
        registered(provider, scheme, officer)
        contract = signed(small, provider, issued(small, scheme, officer))
        login(other_provider.user)
        assert client.get(f"/vouchers/contracts/{contract.pk}/").status_code == 403
        response = client.post(f"/vouchers/contracts/{contract.pk}/redeem/", {
            "idempotency_key": "x", "holder_paid": "1", "service_done_on": TODAY.isoformat(),
            "holder_payment": pdf(), "service": pdf()})
        assert response.status_code == 403 and not Redemption.objects.exists()

    def test_an_officer_of_another_department_sees_neither_dashboard_nor_applications(self, client, login, scheme,
                                                                                       small, other_officer):
        from shuangchuang.vouchers.services import application_submit

        application = application_submit(actor=small.actor, scheme=scheme, applicant_kind="enterprise",
                                         requested_fen=100, purpose="x")
        login(other_officer.user)
        assert client.get("/vouchers/manage/schemes/sz-innovation-voucher/").status_code == 403
        response = client.post(f"/vouchers/manage/applications/{application.pk}/", {"transition": "publicise"})
        assert response.status_code == 403
        assert Application.objects.get().state == "submitted"


def test_a_provider_registers_through_the_page_and_the_officer_approves_it(client, login, scheme, provider, officer):
    from shuangchuang.vouchers.models import ProviderRegistration

    login(provider.user)
    response = client.post("/vouchers/provider/register/sz-innovation-voucher/", {
        "category": "ip", "year": TODAY.year, "description": "专利代理", "service_name": "发明专利申请",
        "service_price": "8000", "service_unit": "件"})
    assert response.status_code == 302
    registration = ProviderRegistration.objects.get()
    assert registration.state == "applied" and registration.services.get().price_fen == 800_000
    login(officer.user)
    assert "发明专利申请" in client.get(f"/vouchers/manage/registrations/{registration.pk}/").content.decode()
    client.post(f"/vouchers/manage/registrations/{registration.pk}/decide/", {"approve": "yes"})
    registration.refresh_from_db()
    assert registration.state == "approved" and registration.screening_evidence


def test_an_officer_adds_to_the_budget_and_records_a_tie_from_the_dashboard(client, login, scheme, officer, small,
                                                                          provider):
    from shuangchuang.vouchers.models import DeclaredTie, SchemeYear

    login(officer.user)
    client.post("/vouchers/manage/schemes/sz-innovation-voucher/budget/",
                {"year": TODAY.year, "amount": "250000", "note": "深科技创新〔2026〕12号"})
    assert SchemeYear.objects.get(scheme=scheme, year=TODAY.year).budget_fen == 125_000_000
    client.post("/vouchers/manage/schemes/sz-innovation-voucher/ties/",
                {"party_a": small.org.code, "party_b": provider.org.code, "kind": "investment", "note": "持股"})
    assert DeclaredTie.objects.get().kind == "investment"


def test_a_tie_without_its_parties_is_refused_with_the_form_errors(client, login, scheme, officer):
    from shuangchuang.vouchers.models import DeclaredTie

    login(officer.user)
    response = client.post("/vouchers/manage/schemes/sz-innovation-voucher/ties/",
                           {"party_a": "", "party_b": "", "kind": "investment"}, follow=True)
    assert "This field is required." in response.content.decode()
    assert not DeclaredTie.objects.exists()


def test_an_enterprise_cannot_add_to_a_budget(client, login, scheme, small):
    from shuangchuang.vouchers.models import SchemeYear

    login(small.user)
    response = client.post("/vouchers/manage/schemes/sz-innovation-voucher/budget/",
                           {"year": TODAY.year, "amount": "1", "note": "x"})
    assert response.status_code == 403
    assert SchemeYear.objects.get(scheme=scheme, year=TODAY.year).budget_fen == 100_000_000


def test_an_officer_creates_a_scheme_that_reads_named_parameters(client, login, scheme, officer):
    from shuangchuang.vouchers.models import Scheme

    login(officer.user)
    assert client.get("/vouchers/manage/schemes/new/").status_code == 200
    response = client.post("/vouchers/manage/schemes/new/", {
        "code": "stic-testing-2027", "kind": "innovation", "name": "检测认证专项券", "legal_basis": "深府〔2016〕61号（十八）",
        "categories": ["testing"], "accepts_enterprises": "on", "publicity_days": "5", "settlement_delay_days": "3",
        "parameters": "cap.small = voucher.cap.small\nmax_share_of_fee = voucher.max_share_of_fee",
        "rule": '{"all": [{"fact": "status", "op": "in", "value": ["operating"], "cite": "（十八）"}]}'})
    assert response.status_code == 302
    created = Scheme.objects.get(code="stic-testing-2027")
    assert created.department == officer.organisation and created.parameters["cap.small"] == "voucher.cap.small"
    bad = client.post("/vouchers/manage/schemes/new/", {
        "code": "bad", "kind": "innovation", "name": "x", "legal_basis": "x", "categories": ["testing"],
        "accepts_enterprises": "on", "publicity_days": "5", "settlement_delay_days": "3",
        "parameters": "cap.giant = voucher.cap.small", "rule": "{}"}).content.decode()
    assert "Unknown parameter roles: cap.giant." in bad and not Scheme.objects.filter(code="bad").exists()


def test_a_provider_adds_a_priced_service_and_another_firm_cannot(client, login, scheme, provider, other_provider,
                                                                  officer):
    registration = registered(provider, scheme, officer)
    login(other_provider.user)
    client.post(f"/vouchers/provider/registrations/{registration.pk}/services/", {"name": "抢注", "price": "1"})
    assert registration.services.count() == 1
    login(provider.user)
    client.post(f"/vouchers/provider/registrations/{registration.pk}/services/",
                {"name": "可靠性试验", "price": "12000", "unit": "项"})
    assert registration.services.get(name="可靠性试验").price_fen == 1_200_000
    assert "可靠性试验" in client.get("/vouchers/providers/?category=testing").content.decode()


def test_the_proofs_open_for_the_officer_and_the_parties_only(client, login, scheme, small, medium, provider, officer,
                                                            other_officer):
    from shuangchuang.vouchers.models import Document
    from shuangchuang.vouchers.services import redemption_request
    from shuangchuang.vouchers.tests.conftest import proofs

    registered(provider, scheme, officer)
    contract = signed(small, provider, issued(small, scheme, officer))
    redemption_request(actor=provider.actor, contract=contract, idempotency_key="d", holder_paid_fen=contract.amount_fen,
                       service_done_on=TODAY, documents=proofs())
    proof = Document.objects.get(kind="service")
    for user, status in ((officer.user, 200), (small.user, 200), (provider.user, 200), (medium.user, 403),
                         (other_officer.user, 403)):
        login(user)
        response = client.get(f"/vouchers/documents/{proof.pk}/")
        assert response.status_code == status, user
    login(officer.user)
    assert b"".join(client.get(f"/vouchers/documents/{proof.pk}/").streaming_content).startswith(b"%PDF")


def test_a_maker_space_applies_for_a_maker_through_the_form(client, login, scheme, small):
    from shuangchuang.core.tests.factories import id_number

    login(small.user)
    response = client.post("/vouchers/schemes/sz-innovation-voucher/apply/", {
        "applicant_kind": "maker", "requested": "10000", "purpose": "原型检测", "person_name": "周创客",
        "person_id_number": id_number(55, region="440305")})
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.applicant_kind, application.size_class, application.holder_name) == ("maker", "maker", "周创客")
    page = client.get(f"/vouchers/my/applications/{application.pk}/").content.decode()
    assert "周创客" in page and application.person_id_number not in page


def test_a_short_holder_payment_is_shown_on_the_redemption_form(client, login, scheme, small, provider, officer):
    registered(provider, scheme, officer)
    contract = signed(small, provider, issued(small, scheme, officer), amount_fen=8_000_000)
    login(provider.user)
    page = client.post(f"/vouchers/contracts/{contract.pk}/redeem/", {
        "idempotency_key": "short-1", "holder_paid": "100", "service_done_on": TODAY.isoformat(),
        "holder_payment": pdf(), "service": pdf()}).content.decode()
    assert "the holder must pay the rest of the fee" in page and not Redemption.objects.exists()
