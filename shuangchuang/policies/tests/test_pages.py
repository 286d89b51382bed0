"""Every page of the module renders for the public, an enterprise and an officer; the calculators show their
working; the eligibility page lists what the enterprise can get."""

import pytest

from shuangchuang.policies.models import Benefit, Parameter, PolicyDocument


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestPagesRender:
    def public_urls(self):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        voucher = Benefit.objects.get(code="innovation-voucher")
        return ["/policies/", "/policies/?q=创新券&topic=vouchers", "/policies/?window=open", f"/policies/{doc.pk}/",
                f"/policies/{doc.pk}/versions/", "/policies/benefits/", f"/policies/benefits/{voucher.pk}/",
                "/policies/parameters/", "/policies/assistant/", "/policies/assistant/?question=孔雀计划",
                "/policies/calculators/rd-super-deduction/", "/policies/calculators/vc-tax-credit/"]

    def test_public_pages(self, client):
        for url in self.public_urls():
            assert client.get(url).status_code == 200, url

    def test_enterprise_pages(self, client, login, rep_a):
        client = login(rep_a)
        for url in self.public_urls() + ["/policies/eligibility/", "/policies/alerts/"]:
            assert client.get(url).status_code == 200, url

    def test_officer_pages(self, client, login, officer_stic, firm_a):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        voucher = Benefit.objects.get(code="innovation-voucher")
        gap = Parameter.objects.get(key="voucher.validity_months")
        client = login(officer_stic)
        urls = ["/policies/manage/", "/policies/manage/import/", f"/policies/{doc.pk}/revise/",
                f"/policies/benefits/{voucher.pk}/edit/", f"/policies/benefits/{voucher.pk}/matches/",
                f"/policies/{doc.pk}/benefits/new/", "/policies/manage/answers/new/", f"/policies/parameters/{gap.pk}/set/",
                "/policies/eligibility/", f"/policies/eligibility/{firm_a.uscc}/"]
        for url in self.public_urls() + urls:
            assert client.get(url).status_code == 200, url

    def test_the_benefit_page_shows_an_officer_the_matches_chart(self, client, login, officer_stic, firm_a):
        voucher = Benefit.objects.get(code="innovation-voucher")
        html = login(officer_stic).get(f"/policies/benefits/{voucher.pk}/").content.decode()
        assert "1 enterprise matches today" in html
        assert '<svg class="pol-chart" role="img" aria-labelledby="by-district-title"' in html

    def test_the_eligibility_page_lists_benefits_near_misses_and_caps(self, client, login, rep_a):
        html = login(rep_a).get("/policies/eligibility/").content.decode()
        assert "7 benefits you are eligible for" in html
        assert "Your cap: ¥100,000." in html
        assert "What would change it:" in html
        assert "Also open to you if you qualify" in html

    def test_the_eligibility_page_stays_within_a_fixed_number_of_queries(self, client, login, rep_a,
                                                                          django_assert_max_num_queries):
        client = login(rep_a)
        client.get("/policies/eligibility/")  # the process caches of benefits and reference data are warm
        with django_assert_max_num_queries(14):
            assert client.get("/policies/eligibility/").status_code == 200

    def test_anonymous_eligibility_asks_to_log_in(self, client):
        response = client.get("/policies/eligibility/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_the_rd_calculator_page_shows_the_result_and_its_working(self, client):
        html = client.post("/policies/calculators/rd-super-deduction/", {
            "tax_year": 2023, "firm_type": "general", "industry_division": "39", "expensed": "1000000",
            "capitalised": "500000"}).content.decode()
        assert "<strong>¥1,000,000</strong>" in html and "2023年第7号公告" in html

    def test_the_rd_calculator_page_shows_errors_on_the_field(self, client):
        html = client.post("/policies/calculators/rd-super-deduction/", {
            "tax_year": 2022, "firm_type": "general", "industry_division": "39", "expensed": "100"}).content.decode()
        assert "The rate changes on 2022-10-01 in this year" in html

    def test_the_vc_calculator_page(self, client):
        data = {"inv-TOTAL_FORMS": "1", "inv-INITIAL_FORMS": "0", "inv-MIN_NUM_FORMS": "1", "inv-MAX_NUM_FORMS": "10",
                "inv-0-investee": "甲", "inv-0-invested_on": "2021-03-15", "inv-0-amount": "10000000",
                "inv-0-high_tech_then": "on", "inv-0-employees_then": "300", "inv-0-sales_then": "100000000",
                "inv-0-assets_then": "150000000", "inv-0-high_tech_later": "on", "inv-0-employees_later": "300",
                "inv-0-sales_later": "100000000", "inv-0-assets_later": "150000000",
                "taxable_income": "2023: 5000000\n2024: 1000000"}
        html = client.post("/policies/calculators/vc-tax-credit/", data).content.decode()
        assert "¥7,000,000" in html and "2023-03-15" in html
