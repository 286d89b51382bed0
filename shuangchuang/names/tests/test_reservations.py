"""Reserving a name (Art 18): refused when invalid or identical, acknowledged when similar, seen by later checks,
consumed by establishment, released, expired by the daily job; periods from the data with their source."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangchuang.core.errors import Conflict, ServiceError
from shuangchuang.core.models import AuditEvent, Notification
from shuangchuang.core.tests.factories import SYSTEM, actor_for, department
from shuangchuang.names.models import IndexSource, NameIndexEntry, NameReservation, ReservationStatus
from shuangchuang.names.periods import add_months
from shuangchuang.names.selectors import active_reservation_for
from shuangchuang.names.services import (
    name_check,
    name_reservation_consume,
    name_reservation_release,
    name_reservations_expire,
    name_reserve,
)
from shuangchuang.names.tests.conftest import register

NAME = "深圳市云帆智造科技有限公司"


def reserve(user, name=NAME, **kwargs):
    kwargs.setdefault("legal_form", "llc")
    return name_reserve(actor=actor_for(user, None), name=name, registration_authority=None, **kwargs)


@pytest.mark.django_db
class TestReserving:
    def test_a_free_name_is_reserved_for_two_months_and_seen_by_later_checks(self, registered, founder):
        now = timezone.now()
        reservation = reserve(founder, now=now, industry_code="65")
        assert reservation.status == ReservationStatus.RESERVED
        assert reservation.trade_name == "云帆智造" and reservation.region == "深圳市"
        assert timezone.localtime(reservation.expires_at).date() == add_months(timezone.localdate(now), 2)
        assert "Art 18" in reservation.period_source
        result = name_check(name=NAME, legal_form="llc")
        assert result.verdict == "identical"
        assert result.issues[0].code == "identical_reservation" and result.issues[0].conflict == NAME
        assert "reserved until" in result.issues[0].message
        assert name_check(name="深圳市云帆智造软件有限公司", legal_form="llc").verdict == "similar"
        assert active_reservation_for(name=NAME) == reservation
        assert AuditEvent.objects.filter(verb="names.name_reserved").count() == 1

    def test_prior_approval_keeps_the_name_for_a_year(self, db, founder):
        now = timezone.now()
        reservation = reserve(founder, prior_approval=True, now=now)
        assert timezone.localtime(reservation.expires_at).date() == add_months(timezone.localdate(now), 12)

    def test_an_invalid_name_is_refused_and_nothing_is_written(self, db, founder):
        with pytest.raises(ServiceError) as refused:
            reserve(founder, name="鹏城新芯科技有限公司")
        assert refused.value.code == "name_invalid"
        assert not NameReservation.objects.exists() and not NameIndexEntry.objects.exists()

    def test_an_identical_name_is_refused(self, registered, founder):
        with pytest.raises(Conflict) as refused:
            reserve(founder, name="鹏城创芯（深圳）科技有限公司")
        assert refused.value.code == "name_identical"
        assert "深圳市鹏城创芯科技有限公司" in refused.value.message
        assert not NameReservation.objects.exists()

    def test_a_similar_name_needs_the_applicants_acknowledgement(self, registered, founder):
        with pytest.raises(ServiceError) as refused:
            reserve(founder, name="深圳市牛兰山酒业有限公司")
        assert refused.value.code == "similar_not_acknowledged"
        reservation = reserve(founder, name="深圳市牛兰山酒业有限公司", acknowledge_similar=True)
        assert reservation.similar_acknowledged[0]["conflict"] == "深圳市牛栏山酒业有限公司"

    def test_the_same_name_cannot_be_reserved_twice(self, db, founder, rep_a, enterprise_a):
        reserve(founder)
        with pytest.raises(Conflict):
            name_reserve(actor=actor_for(rep_a, enterprise_a), name=NAME, legal_form="llc",
                         registration_authority=None)

    def test_a_period_the_rules_do_not_give_is_refused_until_an_officer_sets_it(self, db, founder):
        old = timezone.make_aware(datetime.datetime(2018, 5, 1, 10, 0))
        with pytest.raises(ServiceError) as refused:
            reserve(founder, now=old)
        assert refused.value.code == "period_not_set"

    def test_a_policies_parameter_overrides_the_period(self, db, founder):
        from shuangchuang.policies.models import Parameter

        Parameter.objects.create(key="names.reservation_months", label="保留期", kind="integer", value=3,
                                 valid_from=datetime.date(2025, 1, 1), source="test override",
                                 department=department("SZ-MQSA"))
        now = timezone.now()
        reservation = reserve(founder, now=now)
        assert timezone.localtime(reservation.expires_at).date() == add_months(timezone.localdate(now), 3)
        assert reservation.period_source == "test override"


@pytest.mark.django_db
class TestLifecycle:
    def test_establishment_consumes_the_reservation_and_the_enterprise_takes_its_place(self, db, founder, officer_mqsa,
                                                                                        mqsa):
        reservation = reserve(founder)
        enterprise = register(NAME)
        name_reservation_consume(actor=actor_for(officer_mqsa, mqsa), reservation=reservation, enterprise=enterprise)
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.CONSUMED and reservation.consumed_by == enterprise
        assert not NameIndexEntry.objects.filter(source=IndexSource.RESERVATION).exists()
        assert name_check(name=NAME, legal_form="llc").issues[0].code == "identical_enterprise"
        with pytest.raises(Conflict):
            name_reservation_consume(actor=SYSTEM, reservation=reservation, enterprise=enterprise)

    def test_a_reservation_is_consumed_only_by_an_enterprise_of_that_name(self, registered, founder):
        reservation = reserve(founder)
        with pytest.raises(Conflict) as refused:
            name_reservation_consume(actor=SYSTEM, reservation=reservation, enterprise=registered["pengcheng"])
        assert refused.value.code == "name_differs"

    def test_releasing_frees_the_name(self, db, founder):
        reservation = reserve(founder)
        name_reservation_release(actor=actor_for(founder, None), reservation=reservation)
        assert name_check(name=NAME, legal_form="llc").verdict == "ok"
        assert active_reservation_for(name=NAME) is None

    def test_the_daily_job_expires_reservations_and_tells_their_holders(self, db, founder):
        now = timezone.now()
        reservation = reserve(founder, now=now)
        assert name_reservations_expire(actor=SYSTEM, now=now + datetime.timedelta(days=30)) == 0
        after = reservation.expires_at + datetime.timedelta(minutes=1)
        assert name_reservations_expire(actor=SYSTEM, now=after) == 1
        reservation.refresh_from_db()
        assert reservation.status == ReservationStatus.EXPIRED
        assert name_check(name=NAME, legal_form="llc").verdict == "ok"
        assert Notification.objects.filter(recipient=founder, subject__contains=NAME).exists()
        with pytest.raises(Conflict) as refused:
            name_reservation_consume(actor=SYSTEM, reservation=reservation, enterprise=register(NAME))
        assert refused.value.code == "reservation_not_active"

    def test_an_expired_reservation_not_yet_closed_by_the_job_cannot_be_consumed(self, db, founder):
        past = timezone.now() - datetime.timedelta(days=70)
        reservation = reserve(founder, now=past)
        assert name_check(name=NAME, legal_form="llc").verdict == "ok"  # its index row ended
        with pytest.raises(Conflict) as refused:
            name_reservation_consume(actor=SYSTEM, reservation=reservation, enterprise=register(NAME))
        assert refused.value.code == "reservation_expired"

    def test_the_daily_command_runs_both_steps(self, db, founder):
        past = timezone.now() - datetime.timedelta(days=70)
        reserve(founder, now=past)
        call_command("names_daily", stdout=open("/dev/null", "w"))
        assert NameReservation.objects.get().status == ReservationStatus.EXPIRED
