"""Rent vouchers: a district scheme on the same engine with its own parameters (set by the district), a founder
as holder, a registered landlord or talent housing as provider."""

import pytest

from shuangchuang.core.errors import Conflict
from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import actor_for, department, grant, id_number, make_user
from shuangchuang.policies.models import Parameter
from shuangchuang.policies.services import parameter_set
from shuangchuang.registry.models import NaturalPerson
from shuangchuang.vouchers.models import Scheme
from shuangchuang.vouchers.services import (
    application_check,
    application_submit,
    application_transition,
    ledger_verify,
    redemption_request,
    scheme_budget_add,
    voucher_balance_fen,
)
from shuangchuang.vouchers.tests.conftest import TODAY, _party, proofs, registered, signed


@pytest.fixture
def district_officer(db):
    user = make_user("officer-nanshan", full_name="南山区干部")
    grant(user, department("SZ-D440305"), Role.OFFICER)
    return actor_for(user, department("SZ-D440305"))


@pytest.fixture
def rent(scheme, district_officer):
    rent = Scheme.objects.get(code="nanshan-rent-voucher")
    Scheme.objects.filter(pk=rent.pk).update(publicity_days=0)
    rent.refresh_from_db()
    for key, value in (("face_value", "6000"), ("validity_months", "12"), ("max_share_of_fee", "0.3")):
        parameter_set(actor=district_officer, parameter=Parameter.objects.get(key=f"rent_voucher.440305.{key}"),
                      value=value, source="南山区租房券办法（测试）")
    scheme_budget_add(actor=district_officer, scheme=rent, year=TODAY.year, amount_fen=10_000_000)
    return rent


def founder(name: str, serial: int, district: str):
    number = id_number(900 + serial, region="440305")
    rep = NaturalPerson.objects.create(id_number=number, name=name)
    party = _party(f"深圳市{name}创业科技有限公司", 40 + serial, f"founder-{serial}", employees=3, revenue_yuan=100_000,
                   rep=rep, district=district)
    party.user.id_number = number
    party.user.save(update_fields=["id_number"])
    return party


def test_the_rent_scheme_reads_its_own_parameters_unset_until_the_district_sets_them(scheme, small):
    rent = Scheme.objects.get(code="nanshan-rent-voucher")
    me = founder("张", 1, "440305")
    with pytest.raises(Conflict) as exc:
        application_submit(actor=me.actor, scheme=rent, applicant_kind="founder", requested_fen=100, purpose="租房")
    assert exc.value.code == "no_cap"


def test_a_founder_of_a_firm_in_the_district_gets_a_rent_voucher_and_a_landlord_redeems_it(rent, district_officer):
    me = founder("李", 2, "440305")
    assert application_check(actor=me.actor, scheme=rent, applicant_kind="founder")["cap_fen"] == 600_000
    application = application_submit(actor=me.actor, scheme=rent, applicant_kind="founder", requested_fen=600_000,
                                     purpose="人才公寓租金")
    assert application.holder_key == me.user.id_number and application.size_class == "founder"
    application_transition(actor=district_officer, application=application, transition="publicise")
    voucher = application_transition(actor=district_officer, application=application, transition="issue").voucher
    landlord = _party("深圳市南山人才安居有限公司", 60, "landlord", employees=40, revenue_yuan=9_000_000)
    registered(landlord, rent, district_officer, category="talent_housing")
    contract = signed(me, landlord, voucher, amount_fen=3_000_000, category="talent_housing")
    assert contract.max_voucher_fen == 900_000  # 30 % set by the district
    redemption = redemption_request(actor=landlord.actor, contract=contract, idempotency_key="rent-1",
                                    holder_paid_fen=2_400_000, service_done_on=TODAY, documents=proofs())
    assert redemption.amount_fen == 600_000 and voucher_balance_fen(voucher) == 0
    assert ledger_verify() == []


def test_a_founder_whose_firm_is_in_another_district_is_not_eligible(rent):
    me = founder("王", 3, "440304")
    with pytest.raises(Conflict) as exc:
        application_submit(actor=me.actor, scheme=rent, applicant_kind="founder", requested_fen=100, purpose="租房")
    assert exc.value.code == "not_eligible" and "District" in exc.value.message


def test_a_staff_member_cannot_apply_as_founder(rent):
    me = founder("赵", 4, "440305")
    staff = make_user("staff-x", full_name="员工")
    grant(staff, me.org, Role.STAFF)
    from shuangchuang.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        application_submit(actor=actor_for(staff, me.org), scheme=rent, applicant_kind="founder", requested_fen=100,
                           purpose="租房")


def test_the_innovation_officer_cannot_decide_on_the_district_scheme(rent, officer):
    me = founder("钱", 5, "440305")
    application = application_submit(actor=me.actor, scheme=rent, applicant_kind="founder", requested_fen=100,
                                     purpose="租房")
    from shuangchuang.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        application_transition(actor=officer, application=application, transition="publicise")
