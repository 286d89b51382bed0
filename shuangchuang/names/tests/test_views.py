"""The name-check page (live result as the applicant types), reserving from it, my reservations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuangchuang.core.tests.factories import actor_for
from shuangchuang.names.models import NameReservation
from shuangchuang.names.services import name_reserve

NAME = "深圳市海角新芯科技有限公司"


@pytest.mark.django_db
class TestCheckPage:
    def test_the_page_shows_the_form_to_anyone(self, client):
        response = client.get(reverse("names:check"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'hx-post="/registration/names/"' in html and 'for="id_name"' in html

    def test_the_live_check_answers_the_result_fragment(self, client, registered):
        response = client.post(reverse("names:check"), {"name": "深圳市鹏城创芯科技有限公司", "legal_form": "llc"},
                               HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'data-verdict="identical"' in html and "identical_enterprise" in html
        assert "Log in to reserve" not in html  # nothing to reserve

    def test_a_free_name_offers_anonymous_visitors_a_log_in(self, client, db):
        html = client.post(reverse("names:check"), {"name": NAME, "legal_form": "llc"},
                           HTTP_HX_REQUEST="true").content.decode()
        assert 'data-verdict="ok"' in html and "Log in to reserve this name" in html

    def test_without_javascript_the_button_shows_the_whole_page(self, client, db):
        response = client.post(reverse("names:check"), {"name": "鹏城新芯", "legal_form": "llc"})
        html = response.content.decode()
        assert "<html" in html and 'data-verdict="invalid"' in html and "region_missing" in html

    def test_an_investing_enterprise_lifts_the_identical_rule_on_the_page(self, client, registered):
        data = {"name": "深圳市鹏城创芯有限公司", "legal_form": "llc"}
        alone = client.post(reverse("names:check"), data, HTTP_HX_REQUEST="true").content.decode()
        assert 'data-verdict="identical"' in alone
        parent = registered["pengcheng"].uscc
        related = client.post(reverse("names:check"), {**data, "investors": f" {parent}，"},
                              HTTP_HX_REQUEST="true").content.decode()
        assert 'data-verdict="similar"' in related and "identical_investment_relation" in related
        unknown = client.post(reverse("names:check"), {**data, "investors": "91440300MA5T99999X"},
                              HTTP_HX_REQUEST="true").content.decode()
        assert "No registered enterprise has the USCC" in unknown

    def test_the_rate_limit_is_shown_inside_the_result(self, client, settings, db):
        settings.NAMES_CHECK_RATE_PER_MINUTE = 1
        for _ in range(2):
            response = client.post(reverse("names:check"), {"name": NAME, "legal_form": "llc"},
                                   HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Too many name checks" in response.content.decode()


@pytest.mark.django_db
class TestReservingOnThePage:
    def test_a_legal_representative_reserves_for_the_enterprise(self, client, login, rep_a, enterprise_a):
        login(rep_a)
        session = client.session
        session["acting_organisation_id"] = enterprise_a.pk
        session.save()
        html = client.post(reverse("names:check"), {"name": NAME, "legal_form": "llc"},
                           HTTP_HX_REQUEST="true").content.decode()
        assert "Reserve this name" in html
        response = client.post(reverse("names:reserve"), {"name": NAME, "legal_form": "llc", "industry_code": ""})
        assert response.status_code == 302 and response["Location"] == reverse("names:mine")
        reservation = NameReservation.objects.get()
        assert reservation.reserved_by == rep_a
        page = client.get(reverse("names:mine")).content.decode()
        assert NAME in page and "Release" in page

    def test_a_similar_name_is_reserved_only_with_the_box_ticked(self, client, login, founder, registered):
        login(founder)
        data = {"name": "深圳市牛兰山酒业有限公司", "legal_form": "llc", "industry_code": ""}
        refused = client.post(reverse("names:reserve"), data)
        assert refused.status_code == 400 and not NameReservation.objects.exists()
        assert "confirm that you have read the similar names" in refused.content.decode()
        accepted = client.post(reverse("names:reserve"), {**data, "acknowledge_similar": "on"})
        assert accepted.status_code == 302 and NameReservation.objects.count() == 1

    def test_releasing_from_my_reservations(self, client, login, founder):
        reservation = name_reserve(actor=actor_for(founder, None), name=NAME, legal_form="llc",
                                   registration_authority=None)
        login(founder)
        response = client.post(reverse("names:release", args=[reservation.pk]))
        assert response.status_code == 302
        reservation.refresh_from_db()
        assert reservation.status == "released"

    def test_my_reservations_needs_a_log_in(self, client, db):
        assert client.get(reverse("names:mine")).status_code == 302
