"""Who may do what with names: a denied action raises NotAllowed with the reason and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import SYSTEM, actor_for
from shuangchuang.names.models import InvestmentRelation, NameReservation, ProtectedName, ReservationStatus
from shuangchuang.names.services import (
    investment_relation_record,
    name_protect,
    name_reservation_consume,
    name_reservation_release,
    name_reservations_expire,
    name_reserve,
)
from shuangchuang.names.tests.conftest import register

NAME = "深圳市海角新芯科技有限公司"


def _unchanged(before_events: int) -> None:
    assert AuditEvent.objects.filter(verb__startswith="names.").count() == before_events


@pytest.mark.django_db
class TestReservingMatrix:
    @pytest.mark.parametrize(("who", "allowed"), [
        ("anonymous", False), ("founder", True), ("rep_a", True), ("staff_a", True), ("officer_mqsa", False),
    ])
    def test_who_may_reserve(self, who, allowed, founder, rep_a, staff_a, officer_mqsa, enterprise_a, mqsa):
        actors = {
            "anonymous": Actor.anonymous(), "founder": actor_for(founder, None), "rep_a": actor_for(rep_a, enterprise_a),
            "staff_a": actor_for(staff_a, enterprise_a), "officer_mqsa": actor_for(officer_mqsa, mqsa),
        }
        if allowed:
            assert name_reserve(actor=actors[who], name=NAME, legal_form="llc", registration_authority=None)
            return
        with pytest.raises(NotAllowed) as refused:
            name_reserve(actor=actors[who], name=NAME, legal_form="llc", registration_authority=None)
        assert refused.value.message
        assert not NameReservation.objects.exists()
        _unchanged(0)


@pytest.fixture
def reservation(rep_a, enterprise_a):
    return name_reserve(actor=actor_for(rep_a, enterprise_a), name=NAME, legal_form="llc", registration_authority=None)


@pytest.mark.django_db
class TestReservationMatrix:
    def test_another_enterprise_cannot_release_it(self, reservation, rep_b, enterprise_b):
        before = AuditEvent.objects.filter(verb__startswith="names.").count()
        with pytest.raises(NotAllowed):
            name_reservation_release(actor=actor_for(rep_b, enterprise_b), reservation=reservation)
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED
        _unchanged(before)

    def test_the_same_person_acting_for_themselves_cannot_release_the_enterprises(self, reservation, rep_a):
        with pytest.raises(NotAllowed):
            name_reservation_release(actor=actor_for(rep_a, None), reservation=reservation)

    def test_a_colleague_of_the_enterprise_can(self, reservation, staff_a, enterprise_a):
        name_reservation_release(actor=actor_for(staff_a, enterprise_a), reservation=reservation)

    @pytest.mark.parametrize("who", ["rep_a", "officer_stic", "anonymous"])
    def test_only_the_authority_consumes_it(self, who, reservation, rep_a, enterprise_a, officer_stic,
                                            stic):
        enterprise = register(NAME)
        actor = {"rep_a": actor_for(rep_a, enterprise_a), "officer_stic": actor_for(officer_stic, stic),
                 "anonymous": Actor.anonymous()}[who]
        before = AuditEvent.objects.filter(verb__startswith="names.").count()
        with pytest.raises(NotAllowed):
            name_reservation_consume(actor=actor, reservation=reservation, enterprise=enterprise)
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED and reservation.consumed_by is None
        _unchanged(before)

    def test_the_authoritys_officer_consumes_it(self, reservation, officer_mqsa, mqsa):
        enterprise = register(NAME)
        name_reservation_consume(actor=actor_for(officer_mqsa, mqsa), reservation=reservation, enterprise=enterprise)

    def test_the_expiry_job_is_the_platforms(self, reservation, officer_mqsa, mqsa):
        with pytest.raises(NotAllowed):
            name_reservations_expire(actor=actor_for(officer_mqsa, mqsa))

    def test_the_release_page_refuses_another_person_with_the_reason(self, client, login, reservation, founder):
        login(founder)
        response = client.post(reverse("names:release", args=[reservation.pk]))
        assert response.status_code == 403 and "belongs to someone else" in response.content.decode()
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED


@pytest.mark.django_db
class TestAuthorityMatrix:
    def test_only_the_authority_protects_a_name_or_records_an_investment(self, registered, officer_stic,
                                                                         stic, rep_a, enterprise_a,
                                                                         officer_mqsa, mqsa):
        enterprise = registered["hongguang"]
        for actor in (actor_for(officer_stic, stic), actor_for(rep_a, enterprise_a), Actor.anonymous()):
            with pytest.raises(NotAllowed):
                name_protect(actor=actor, name=enterprise.name, enterprise=enterprise, reason="deregistered",
                             since=datetime.date(2026, 1, 1))
            with pytest.raises(NotAllowed):
                investment_relation_record(actor=actor, investor=registered["pengcheng"], investee=enterprise)
        assert not ProtectedName.objects.exists() and not InvestmentRelation.objects.exists()
        name_protect(actor=actor_for(officer_mqsa, mqsa), name=enterprise.name, enterprise=enterprise,
                     reason="deregistered", since=datetime.date(2026, 1, 1))
        investment_relation_record(actor=SYSTEM, investor=registered["pengcheng"], investee=enterprise)
