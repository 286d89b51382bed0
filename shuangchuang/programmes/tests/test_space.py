"""Innovative industrial space allocation: after ranking, a lease offer goes to a ranked application with its
terms (the discount from the effective-dated parameter or the officer, never invented), the applicant accepts or
declines by the deadline, and a declined or lapsed offer passes to the next ranked application."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shuangchuang.core.audit import AuditEvent
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import actor_for, grant, id_number, make_enterprise_org, make_user
from shuangchuang.programmes.models import LeaseOffer, OfferState
from shuangchuang.programmes.services import (
    application_transition,
    call_rank,
    lease_offer_make,
    lease_offer_transition,
    lease_offers_lapse,
)
from shuangchuang.programmes.tests.conftest import list_on_dishonest, make_call, register, submitted

pytestmark = pytest.mark.django_db


def ranked(rep, officer, call, key):
    return application_transition(actor=officer, application=submitted(rep, call, project_key=key),
                                  transition="accept")


@pytest.fixture
def space_call(programme, stic):
    """The discount and term parameters exist, not set (the facts: GAP)."""
    from shuangchuang.policies.models import Parameter

    for key, kind in (("space.rent_discount", "decimal"), ("space.lease_term_years", "integer")):
        Parameter.objects.create(key=key, label=key, kind=kind, value=None, valid_from=datetime.date(2016, 1, 1),
                                 department=stic)
    return make_call(programme, stages=["formal_check", "committee"], mechanism="space_lease")


def set_parameter(key, value):
    from shuangchuang.policies.models import Parameter

    Parameter.objects.filter(key=key).update(value=value)


@pytest.fixture
def third(db):
    org = make_enterprise_org("深圳市丙科技有限公司", 13)
    firm = register(org, person_name="王六", person_id=id_number(503))
    user = make_user("p-rep-c", full_name="丙法人")
    grant(user, org, Role.LEGAL_REPRESENTATIVE)
    return firm, actor_for(user, org)


@pytest.fixture
def queue(rep, other_rep, third, officer, firm, other_firm, space_call):
    """Three applications ranked 1, 2, 3 (by submission order; nobody scored)."""
    apps = [ranked(rep, officer, space_call, "S-1"), ranked(other_rep, officer, space_call, "S-2"),
            ranked(third[1], officer, space_call, "S-3")]
    call_rank(actor=officer, call=space_call)
    for app in apps:
        app.refresh_from_db()
    assert [a.rank for a in apps] == [1, 2, 3]
    return apps


def offer(officer, application, **kw):
    today = timezone.localdate()
    values = dict(space="A-1201", building="深圳湾创新科技中心", area_m2="250.5", reference_rent_fen=120_00,
                  term_starts_on=today + datetime.timedelta(days=30),
                  term_ends_on=today + datetime.timedelta(days=30 + 3 * 365), respond_by=today + datetime.timedelta(
                      days=10), discount="0.3")
    values.update(kw)
    return lease_offer_make(actor=officer, application=application, **values)


class TestTheOffer:
    def test_the_rent_is_the_reference_rent_less_the_discount_in_fen(self, officer, queue):
        made = offer(officer, queue[0])
        assert made.rent_fen == 84_00  # 120.00 × (1 − 0.3)
        assert made.monthly_rent_fen == 21_042_00  # 84.00 × 250.5 m²
        assert made.state == OfferState.OFFERED and made.screening_evidence
        assert "officer" in made.discount_source
        assert AuditEvent.objects.filter(verb="programmes.lease_offered").count() == 1

    def test_without_a_discount_parameter_the_officer_must_enter_it(self, officer, queue):
        with pytest.raises(ServiceError) as caught:
            offer(officer, queue[0], discount=None)
        assert caught.value.code == "discount_required"
        assert not LeaseOffer.objects.exists()

    def test_the_discount_comes_from_the_parameter_valid_on_the_offer_date(self, officer, queue):
        set_parameter("space.rent_discount", "0.25")
        made = offer(officer, queue[0], discount=None)
        assert made.discount == Decimal("0.25") and "space.rent_discount" in made.discount_source
        assert made.rent_fen == 90_00

    def test_without_a_term_the_lease_term_parameter_gives_the_end_or_the_officer_must_enter_it(self, officer,
                                                                                                queue):
        start = datetime.date(2026, 1, 31)
        with pytest.raises(ServiceError) as caught:
            offer(officer, queue[0], term_starts_on=start, term_ends_on=None)
        assert caught.value.code == "term_required"
        set_parameter("space.lease_term_years", 3)
        made = offer(officer, queue[0], term_starts_on=start, term_ends_on=None)
        assert made.term_ends_on == datetime.date(2029, 1, 30)

    @pytest.mark.parametrize("field,value,code", [
        ("area_m2", "0", "invalid_area"), ("area_m2", "abc", "invalid_number"),
        ("reference_rent_fen", 0, "invalid_rent"), ("discount", "1.2", "invalid_discount"),
    ])
    def test_bad_terms_are_refused_and_nothing_is_written(self, officer, queue, field, value, code):
        with pytest.raises(ServiceError) as caught:
            offer(officer, queue[0], **{field: value})
        assert caught.value.code == code
        assert not LeaseOffer.objects.exists()

    def test_a_lease_that_ends_before_it_starts_is_refused(self, officer, queue):
        today = timezone.localdate()
        with pytest.raises(ServiceError) as caught:
            offer(officer, queue[0], term_ends_on=today)
        assert caught.value.field == "term_ends_on"

    def test_an_unranked_application_gets_no_offer(self, rep, officer, space_call, firm):
        draft_app = submitted(rep, space_call, project_key="S-9")
        with pytest.raises(Conflict):
            offer(officer, draft_app)

    def test_one_open_offer_per_application(self, officer, queue):
        offer(officer, queue[0])
        with pytest.raises(Conflict) as caught:
            offer(officer, queue[0], space="B-2")
        assert caught.value.code == "already_offered"

    def test_a_firm_on_a_credit_list_gets_no_offer(self, officer, queue, firm):
        list_on_dishonest(firm)
        with pytest.raises(Conflict) as caught:
            offer(officer, queue[0])
        assert caught.value.code == "credit_blocked"
        assert not LeaseOffer.objects.exists()


class TestTheAnswer:
    def test_the_applicant_accepts(self, rep, officer, queue):
        made = offer(officer, queue[0])
        done = lease_offer_transition(actor=rep, offer=made, transition="accept")
        assert done.state == OfferState.ACCEPTED and done.answered_by
        assert AuditEvent.objects.filter(verb="programmes.lease_offer_accept").exists()

    def test_a_declined_offer_passes_to_the_next_ranked_application_with_the_same_terms(self, rep, officer, queue):
        made = offer(officer, queue[0])
        lease_offer_transition(actor=rep, offer=made, transition="decline", note="面积不够")
        passed = LeaseOffer.objects.get(application=queue[1])
        assert passed.passed_from_id == made.pk and passed.state == OfferState.OFFERED
        assert (passed.space, passed.rent_fen, passed.term_ends_on) == (made.space, made.rent_fen, made.term_ends_on)
        assert passed.respond_by == timezone.localdate() + datetime.timedelta(days=10)

    def test_declining_needs_a_reason(self, rep, officer, queue):
        made = offer(officer, queue[0])
        with pytest.raises(ServiceError):
            lease_offer_transition(actor=rep, offer=made, transition="decline")
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.OFFERED

    def test_the_pass_on_skips_a_firm_listed_since_and_goes_to_the_next(self, rep, officer, queue, other_firm):
        made = offer(officer, queue[0])
        list_on_dishonest(other_firm)
        lease_offer_transition(actor=rep, offer=made, transition="decline", note="不需要")
        assert not LeaseOffer.objects.filter(application=queue[1]).exists()
        assert LeaseOffer.objects.get(application=queue[2]).passed_from_id == made.pk

    def test_when_nobody_is_left_the_space_stays_unplaced(self, rep, other_rep, third, officer, queue):
        first = offer(officer, queue[0])
        lease_offer_transition(actor=rep, offer=first, transition="decline", note="不需要")
        second = LeaseOffer.objects.get(application=queue[1])
        lease_offer_transition(actor=other_rep, offer=second, transition="decline", note="不需要")
        third_offer = LeaseOffer.objects.get(application=queue[2])
        lease_offer_transition(actor=third[1], offer=third_offer, transition="decline", note="不需要")
        assert LeaseOffer.objects.count() == 3
        assert AuditEvent.objects.filter(verb="programmes.lease_offer_unplaced").exists()

    def test_after_the_deadline_the_offer_lapses_and_passes_on(self, rep, officer, queue, system):
        made = offer(officer, queue[0])
        LeaseOffer.objects.filter(pk=made.pk).update(respond_by=timezone.localdate() - datetime.timedelta(days=1))
        with pytest.raises(Conflict) as caught:
            lease_offer_transition(actor=rep, offer=made, transition="accept")
        assert caught.value.code == "deadline_passed"
        assert lease_offers_lapse(actor=system) == 1
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.LAPSED
        assert LeaseOffer.objects.filter(application=queue[1], state=OfferState.OFFERED).exists()

    def test_an_offer_still_open_does_not_lapse(self, officer, queue, system):
        made = offer(officer, queue[0])
        assert lease_offers_lapse(actor=system) == 0
        with pytest.raises(Conflict):
            lease_offer_transition(actor=officer, offer=made, transition="lapse")

    def test_an_answered_offer_cannot_be_answered_again(self, rep, officer, queue):
        made = offer(officer, queue[0])
        lease_offer_transition(actor=rep, offer=made, transition="accept")
        with pytest.raises(Conflict):
            lease_offer_transition(actor=rep, offer=made, transition="decline", note="改主意")


class TestWhoMay:
    def test_the_role_matrix_changes_nothing_when_denied(self, rep, other_rep, officer, other_officer, queue, firm):
        from shuangchuang.core.actor import Actor

        made = offer(officer, queue[0])
        for actor in (Actor(user=None), other_rep, other_officer):
            with pytest.raises(NotAllowed):
                lease_offer_transition(actor=actor, offer=made, transition="accept")
        with pytest.raises(NotAllowed):
            lease_offer_transition(actor=officer, offer=made, transition="accept")  # the applicant answers
        with pytest.raises(NotAllowed):
            lease_offer_transition(actor=rep, offer=made, transition="withdraw", note="x")
        with pytest.raises(NotAllowed):
            offer(other_officer, queue[1])
        with pytest.raises(NotAllowed):
            offer(rep, queue[1])
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.OFFERED
        assert LeaseOffer.objects.count() == 1

    def test_the_officer_withdraws_with_a_reason(self, officer, queue):
        made = offer(officer, queue[0])
        done = lease_offer_transition(actor=officer, offer=made, transition="withdraw", note="房源调整")
        assert done.state == OfferState.WITHDRAWN
        assert LeaseOffer.objects.count() == 1  # a withdrawn offer does not pass on


class TestThePages:
    def test_the_officer_offers_from_the_application_page(self, officer, queue, login):
        client = login(officer)
        page = client.get(f"/programmes/manage/applications/{queue[0].pk}/")
        assert "Send the lease offer" in page.content.decode()
        today = timezone.localdate()
        response = client.post(f"/programmes/manage/applications/{queue[0].pk}/lease/", {
            "building": "深圳湾创新科技中心", "space": "A-1201", "area_m2": "100", "reference_rent": "120.00",
            "discount": "0.3", "term_starts_on": (today + datetime.timedelta(days=5)).isoformat(),
            "term_ends_on": (today + datetime.timedelta(days=700)).isoformat(),
            "respond_by": (today + datetime.timedelta(days=7)).isoformat()})
        assert response.status_code == 302
        assert LeaseOffer.objects.get(application=queue[0]).monthly_rent_fen == 8_400_00

    def test_a_bad_offer_form_shows_the_reason_and_writes_nothing(self, officer, queue, login):
        response = login(officer).post(f"/programmes/manage/applications/{queue[0].pk}/lease/", {
            "building": "B", "space": "1", "area_m2": "x", "reference_rent": "abc"}, follow=True)
        assert response.status_code == 200 and "reference rent" in response.content.decode()
        assert not LeaseOffer.objects.exists()

    def test_the_applicant_sees_the_offer_and_declines_it_with_a_reason(self, rep, officer, queue, login):
        made = offer(officer, queue[0])
        client = login(rep)
        page = client.get(f"/programmes/applications/{queue[0].pk}/")
        body = page.content.decode()
        assert "A-1201" in body and "84.00" in body and "Accept the lease offer" in body
        client.post(f"/programmes/applications/{queue[0].pk}/lease/{made.pk}/",
                    {"transition": "decline", "note": "面积太大"})
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.DECLINED
        assert LeaseOffer.objects.filter(application=queue[1]).exists()

    def test_another_enterprise_cannot_answer_through_the_page(self, other_rep, officer, queue, login):
        made = offer(officer, queue[0])
        response = login(other_rep).post(f"/programmes/applications/{queue[0].pk}/lease/{made.pk}/",
                                         {"transition": "accept"})
        assert response.status_code == 403
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.OFFERED

    def test_the_api_lists_and_answers_offers(self, rep, other_rep, officer, queue, client):
        import json

        from shuangchuang.programmes.tests.test_api import bearer

        made = offer(officer, queue[0])
        listed = client.get(f"/api/v1/programmes/applications/{queue[0].pk}/lease-offers", **bearer(rep))
        assert listed.status_code == 200 and listed.json()[0]["rent_fen"] == 84_00
        assert client.get(f"/api/v1/programmes/applications/{queue[0].pk}/lease-offers",
                          **bearer(other_rep)).status_code == 403
        done = client.post(f"/api/v1/programmes/lease-offers/{made.pk}/transitions",
                           data=json.dumps({"transition": "accept"}), content_type="application/json", **bearer(rep))
        assert done.status_code == 200 and done.json()["state"] == "accepted"


def test_both_sides_are_notified_after_commit(rep, officer, queue, django_capture_on_commit_callbacks):
    from shuangchuang.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        made = offer(officer, queue[0])
    assert Notification.objects.filter(recipient=rep.user, subject__contains="A-1201").exists()
    with django_capture_on_commit_callbacks(execute=True):
        lease_offer_transition(actor=rep, offer=made, transition="accept")
    assert Notification.objects.filter(recipient=officer.user, subject__contains="Accepted").exists()
