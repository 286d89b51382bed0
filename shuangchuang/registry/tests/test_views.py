"""Public registry pages: the enterprise record (masked ID number, figures only for those allowed) and search."""

import pytest
from django.core.cache import cache

from shuangchuang.core.idnumber import mask_id_number
from shuangchuang.core.tests.factories import enterprise_code
from shuangchuang.registry.models import IndustryDivision
from shuangchuang.registry.tests.factories import LEGAL_REP_ID, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FIGURES_REASON = "Business figures are shown to the enterprise itself and its registration authority only."
REVENUE = "¥28,000,000.00"  # 2 800 000 000 fen
ASSETS = "¥35,000,000.00"


def detail(client, enterprise):
    response = client.get(f"/registry/enterprises/{enterprise.uscc}/")
    assert response.status_code == 200
    return response.content.decode()


class TestDetail:
    def test_public_record_with_masked_id_number(self, client, firm_a):
        html = detail(client, firm_a)
        assert "深圳市甲科技有限公司" in html
        assert firm_a.uscc in html
        assert "李明" in html
        masked = mask_id_number(LEGAL_REP_ID)
        assert masked == LEGAL_REP_ID[:4] + "*" * 10 + LEGAL_REP_ID[-4:]
        assert masked in html
        assert LEGAL_REP_ID not in html
        assert LEGAL_REP_ID[4:14] not in html  # not even the birth date part
        assert "¥5,000,000.00" in html  # registered capital is public

    def test_id_number_never_in_full_even_for_the_enterprise(self, login, firm_a, rep_a):
        html = detail(login(rep_a), firm_a)
        assert LEGAL_REP_ID not in html
        assert mask_id_number(LEGAL_REP_ID) in html

    def test_figures_hidden_from_anonymous_with_reason(self, client, firm_a):
        html = detail(client, firm_a)
        assert FIGURES_REASON in html
        assert REVENUE not in html and ASSETS not in html

    @pytest.mark.parametrize("who", ["rep_b", "officer_stic"])
    def test_figures_hidden_from_other_enterprises_and_departments(self, request, login, firm_a, who):
        html = detail(login(request.getfixturevalue(who)), firm_a)
        assert FIGURES_REASON in html
        assert REVENUE not in html and ASSETS not in html

    @pytest.mark.parametrize("who", ["rep_a", "staff_a", "officer_mqsa", "platform_admin"])
    def test_figures_shown_to_the_enterprise_its_authority_and_admins(self, request, login, firm_a, who):
        html = detail(login(request.getfixturevalue(who)), firm_a)
        assert FIGURES_REASON not in html
        assert REVENUE in html and ASSETS in html
        assert "Small" in html  # the size class

    def test_lower_case_code_finds_the_record(self, client, firm_a):
        assert client.get(f"/registry/enterprises/{firm_a.uscc.lower()}/").status_code == 200

    def test_unknown_code_is_404(self, client, db):
        assert client.get(f"/registry/enterprises/{enterprise_code(99)}/").status_code == 404

    def test_query_count(self, client, firm_a, django_assert_max_num_queries):
        with django_assert_max_num_queries(1):
            client.get(f"/registry/enterprises/{firm_a.uscc}/")

    def test_query_count_logged_in(self, login, firm_a, rep_a, django_assert_max_num_queries):
        client = login(rep_a)
        with django_assert_max_num_queries(5):
            client.get(f"/registry/enterprises/{firm_a.uscc}/")


@pytest.fixture
def many(firm_a, mqsa, nanshan):
    software = IndustryDivision.objects.get(code="65")
    for i in range(2, 27):
        register(uscc=enterprise_code(i), name=f"深圳市科技{i:02d}号有限公司", registration_authority=mqsa,
                 district=nanshan, industry=software)
    return firm_a


class TestSearch:
    def test_page_without_query(self, client, db):
        response = client.get("/registry/enterprises/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" in html and 'id="results"' in html
        assert "Type a name or a code to search." in html
        assert response.context["page"] is None

    def test_full_page_with_results(self, client, firm_a):
        response = client.get("/registry/enterprises/", {"q": "甲科技"})
        html = response.content.decode()
        assert "<html" in html
        assert "1 enterprise found" in html
        assert f'href="/registry/enterprises/{firm_a.uscc}/"' in html
        assert "南山区" in html

    def test_htmx_returns_only_the_fragment(self, client, firm_a):
        response = client.get("/registry/enterprises/", {"q": "甲科技"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html and "<form" not in html
        assert "1 enterprise found" in html
        assert "深圳市甲科技有限公司" in html
        assert [t.name for t in response.templates] == ["registry/_results.html", "web/_pager.html"]

    def test_htmx_without_query(self, client, db):
        html = client.get("/registry/enterprises/", HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in html
        assert "Type a name or a code to search." in html

    @pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
    def test_by_uscc(self, client, firm_a):
        response = client.get("/registry/enterprises/", {"q": firm_a.uscc.lower()})
        assert [e.uscc for e in response.context["page"].object_list] == [firm_a.uscc]

    def test_no_match(self, client, firm_a):
        html = client.get("/registry/enterprises/", {"q": "不存在的名字"}).content.decode()
        assert "0 enterprises found" in html

    def test_results_do_not_show_figures(self, client, firm_a):
        html = client.get("/registry/enterprises/", {"q": "甲科技"}, HTTP_HX_REQUEST="true").content.decode()
        assert "深圳市甲科技有限公司" in html
        # Search results name the firm only: no revenue, assets or head count (45 in the fixture).
        assert REVENUE not in html and ASSETS not in html
        assert "Employees" not in html and "<dd>45</dd>" not in html and "<td>45</td>" not in html

    def test_paged_by_20(self, client, many):
        first = client.get("/registry/enterprises/", {"q": "科技"})
        assert first.context["page"].paginator.count == 26
        assert len(first.context["page"].object_list) == 20
        assert "?q=%E7%A7%91%E6%8A%80&amp;page=2" in first.content.decode()
        second = client.get("/registry/enterprises/", {"q": "科技", "page": 2}, HTTP_HX_REQUEST="true")
        assert len(second.context["page"].object_list) == 6

    def test_query_count_does_not_grow_with_results(self, client, many, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):  # count + page
            response = client.get("/registry/enterprises/", {"q": "科技"})
        assert len(response.context["page"].object_list) == 20
        with django_assert_max_num_queries(2):
            client.get("/registry/enterprises/", {"q": "科技"}, HTTP_HX_REQUEST="true")

    def test_query_count_logged_in(self, login, many, rep_a, django_assert_max_num_queries):
        client = login(rep_a)
        with django_assert_max_num_queries(6):  # + session, user, memberships, unread count
            client.get("/registry/enterprises/", {"q": "科技"})


@pytest.mark.django_db
class TestStatisticsPage:
    def test_counts_operating_enterprises_by_district_and_all_by_status(self, client, firm_a):
        cache.clear()
        response = client.get("/registry/statistics/")
        assert response.status_code == 200
        by_district = {row["label"]: row["value"] for row in response.context["by_district"]}
        assert by_district == {firm_a.district.name: 1}
        by_status = {row["label"]: row["value"] for row in response.context["by_status"]}
        assert sum(by_status.values()) == 1
        assert "<caption>" in response.content.decode()

    def test_figures_are_cached_so_the_second_view_runs_no_count(self, client, firm_a, django_assert_max_num_queries):
        cache.clear()
        client.get("/registry/statistics/")
        with django_assert_max_num_queries(0):
            client.get("/registry/statistics/")
