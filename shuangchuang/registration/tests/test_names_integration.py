"""With the names module: an establishment needs a valid reservation of its own name, approval consumes it and
records enterprise shareholders as investors, a name change and a deregistration protect the old name."""

import datetime

import pytest

from shuangchuang.core.errors import ServiceError
from shuangchuang.registration.services import (
    ApplicationData,
    ShareholderData,
    application_transition,
    change_apply,
    deregistration_start,
    deregistration_transition,
    establishment_apply,
)
from shuangchuang.registration.tests.conftest import complete_data, pdf

pytestmark = pytest.mark.django_db
NAME = "深圳市星河智造科技有限公司"


def reserve(actor, name, mqsa):
    from shuangchuang.names.services import name_reserve

    return name_reserve(actor=actor, name=name, legal_form="llc", registration_authority=mqsa, industry_code="65",
                        acknowledge_similar=True)


def test_an_establishment_without_a_reservation_is_told_to_reserve_first(names_on, founder_actor, mqsa):
    application = establishment_apply(actor=founder_actor, data=complete_data(), articles=pdf())
    with pytest.raises(ServiceError, match="reserve it first"):
        application_transition(actor=founder_actor, application=application, transition="submit")


def test_a_reservation_of_another_name_is_refused(names_on, founder_actor, mqsa):
    reservation = reserve(founder_actor, "深圳市银河智造科技有限公司", mqsa)
    application = establishment_apply(actor=founder_actor, data=complete_data(reservation_id=reservation.pk),
                                      articles=pdf())
    with pytest.raises(ServiceError, match="differs from the reserved name"):
        application_transition(actor=founder_actor, application=application, transition="submit")


def test_an_unknown_reservation_is_refused_at_once(names_on, founder_actor, mqsa):
    with pytest.raises(ServiceError, match="reservation was not found"):
        establishment_apply(actor=founder_actor, data=complete_data(reservation_id=999999))


def test_approval_consumes_the_reservation_and_records_enterprise_investors(names_on, founder_actor,
                                                                            officer_actor, mqsa, firm_a):
    from shuangchuang.names.models import InvestmentRelation

    reservation = reserve(founder_actor, NAME, mqsa)
    data = complete_data(reservation_id=reservation.pk)
    data.shareholders[1] = ShareholderData(kind="enterprise", name=firm_a["enterprise"].name,
                                           uscc=firm_a["enterprise"].uscc, subscribed_capital_fen=40_000_000)
    application = establishment_apply(actor=founder_actor, data=data, articles=pdf())
    application_transition(actor=founder_actor, application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="approve")
    reservation.refresh_from_db()
    application.refresh_from_db()
    assert reservation.status == "consumed" and reservation.consumed_by == application.enterprise
    assert application.enterprise.trade_name == reservation.trade_name
    assert InvestmentRelation.objects.filter(investor=firm_a["enterprise"], investee=application.enterprise).exists()


def test_a_name_change_and_a_deregistration_protect_the_old_names(names_on, firm_a, officer_actor, mqsa):
    from shuangchuang.names.models import ProtectedName

    enterprise = firm_a["enterprise"]
    new_name = "深圳市甲乙星辰科技有限公司"
    reservation = reserve(firm_a["actor"], new_name, mqsa)
    change = change_apply(actor=firm_a["actor"], enterprise=enterprise,
                          data=ApplicationData(items=["name"], name=new_name, reservation_id=reservation.pk))
    application_transition(actor=firm_a["actor"], application=change, transition="submit")
    application_transition(actor=officer_actor, application=change, transition="approve")
    assert ProtectedName.objects.get(name="深圳市甲科技有限公司").reason == "changed"

    file = deregistration_start(actor=firm_a["actor"], enterprise=enterprise, ground="no_debts", promise=pdf(),
                                on=datetime.date(2026, 10, 1))
    deregistration_transition(actor=firm_a["actor"], deregistration=file, transition="apply",
                              on=datetime.date(2026, 10, 25))
    deregistration_transition(actor=officer_actor, deregistration=file, transition="approve",
                              on=datetime.date(2026, 10, 26))
    protected = ProtectedName.objects.get(name=new_name)
    assert protected.reason == "deregistered" and protected.since == datetime.date(2026, 10, 26)
