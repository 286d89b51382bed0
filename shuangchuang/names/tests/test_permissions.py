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
        ("anonymous", False), ("founder", True), ("rep", True), ("staff", True), ("officer", False),
    ])
    def test_who_may_reserve(self, who, allowed, founder, rep, staff, officer, enterprise_org, mqsa):
        actors = {
            "anonymous": Actor.anonymous(), "founder": actor_for(founder, None), "rep": actor_for(rep, enterprise_org),
            "staff": actor_for(staff, enterprise_org), "officer": actor_for(officer, mqsa),
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
def reservation(rep, enterprise_org):
    return name_reserve(actor=actor_for(rep, enterprise_org), name=NAME, legal_form="llc", registration_authority=None)


@pytest.mark.django_db
class TestReservationMatrix:
    def test_another_enterprise_cannot_release_it(self, reservation, other_rep, other_enterprise_org):
        before = AuditEvent.objects.filter(verb__startswith="names.").count()
        with pytest.raises(NotAllowed):
            name_reservation_release(actor=actor_for(other_rep, other_enterprise_org), reservation=reservation)
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED
        _unchanged(before)

    def test_the_same_person_acting_for_themselves_cannot_release_the_enterprises(self, reservation, rep):
        with pytest.raises(NotAllowed):
            name_reservation_release(actor=actor_for(rep, None), reservation=reservation)

    def test_a_colleague_of_the_enterprise_can(self, reservation, staff, enterprise_org):
        name_reservation_release(actor=actor_for(staff, enterprise_org), reservation=reservation)

    @pytest.mark.parametrize("who", ["rep", "other_officer", "anonymous"])
    def test_only_the_authority_consumes_it(self, who, reservation, rep, enterprise_org, other_officer,
                                            other_authority):
        enterprise = register(NAME)
        actor = {"rep": actor_for(rep, enterprise_org), "other_officer": actor_for(other_officer, other_authority),
                 "anonymous": Actor.anonymous()}[who]
        before = AuditEvent.objects.filter(verb__startswith="names.").count()
        with pytest.raises(NotAllowed):
            name_reservation_consume(actor=actor, reservation=reservation, enterprise=enterprise)
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED and reservation.consumed_by is None
        _unchanged(before)

    def test_the_authoritys_officer_consumes_it(self, reservation, officer, mqsa):
        enterprise = register(NAME)
        name_reservation_consume(actor=actor_for(officer, mqsa), reservation=reservation, enterprise=enterprise)

    def test_the_expiry_job_is_the_platforms(self, reservation, officer, mqsa):
        with pytest.raises(NotAllowed):
            name_reservations_expire(actor=actor_for(officer, mqsa))

    def test_the_release_page_refuses_another_person_with_the_reason(self, client, login, reservation, founder):
        login(founder)
        response = client.post(reverse("names:release", args=[reservation.pk]))
        assert response.status_code == 403 and "belongs to someone else" in response.content.decode()
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.RESERVED


@pytest.mark.django_db
class TestAuthorityMatrix:
    def test_only_the_authority_protects_a_name_or_records_an_investment(self, registered, other_officer,
                                                                         other_authority, rep, enterprise_org,
                                                                         officer, mqsa):
        enterprise = registered["hongguang"]
        for actor in (actor_for(other_officer, other_authority), actor_for(rep, enterprise_org), Actor.anonymous()):
            with pytest.raises(NotAllowed):
                name_protect(actor=actor, name=enterprise.name, enterprise=enterprise, reason="deregistered",
                             since=datetime.date(2026, 1, 1))
            with pytest.raises(NotAllowed):
                investment_relation_record(actor=actor, investor=registered["pengcheng"], investee=enterprise)
        assert not ProtectedName.objects.exists() and not InvestmentRelation.objects.exists()
        name_protect(actor=actor_for(officer, mqsa), name=enterprise.name, enterprise=enterprise,
                     reason="deregistered", since=datetime.date(2026, 1, 1))
        investment_relation_record(actor=SYSTEM, investor=registered["pengcheng"], investee=enterprise)
