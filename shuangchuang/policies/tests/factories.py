"""Builders of policies test data, written through the services of core and registry with the system actor."""

from __future__ import annotations

import datetime
import itertools

from stdnum.cn import ric

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation, OrganisationKind
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.services import membership_grant, organisation_create, user_create
from shuangchuang.registry.models import District, IndustryDivision, LegalForm
from shuangchuang.registry.services import enterprise_register, enterprise_update_figures
from shuangchuang.registry.uscc import make_uscc

SYSTEM = Actor.system("test")
PASSWORD = "Harbour-lantern-2016"
_serials = itertools.count(1)


def id_number(serial: int) -> str:
    first17 = f"440305199001{serial % 28 + 1:02d}{serial % 999 + 1:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def uscc(serial: int) -> str:
    return make_uscc("9", "1", "440300", f"MA5P{serial:04d}")


def make_user(username: str, *, email: str = "", full_name: str = "", password: str | None = PASSWORD):
    return user_create(actor=SYSTEM, username=username, password=password, full_name=full_name or username,
                       id_number=id_number(next(_serials)), email=email or f"{username}@example.cn",
                       check_password=False)


def department(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def make_officer(username: str, department_code: str):
    user = make_user(username)
    membership_grant(actor=SYSTEM, user=user, organisation=department(department_code), role="officer")
    return user


def make_enterprise(serial: int, name: str, *, division: str = "39", district_code: str = "440305",
                    employees: int | None = 45, revenue_fen: int | None = 2_800_000_000,
                    assets_fen: int | None = 3_500_000_000, founded_on=datetime.date(2019, 5, 20),
                    rd_expense_fen: int | None = None, legal_form: str = LegalForm.LLC, **kwargs):
    """An enterprise in the register (figures for 2025) and its platform organisation."""
    code = uscc(serial)
    firm = enterprise_register(
        actor=SYSTEM, uscc=code, name=name, legal_form=legal_form,
        industry=IndustryDivision.objects.get(code=division) if division else None,
        district=District.objects.get(code=district_code) if district_code else None,
        founded_on=founded_on, employees=employees, revenue_fen=revenue_fen, total_assets_fen=assets_fen,
        registration_authority=department("SZ-MQSA"), **kwargs,
    )
    if rd_expense_fen is not None:
        firm = enterprise_update_figures(actor=SYSTEM, enterprise=firm, financial_year=2025, employees=employees,
                                         revenue_fen=revenue_fen, total_assets_fen=assets_fen,
                                         rd_expense_fen=rd_expense_fen)
    return firm


def make_enterprise_member(firm, username: str, role: str = "legal_rep"):
    organisation = Organisation.objects.filter(code=firm.uscc).first() or organisation_create(
        actor=SYSTEM, kind=OrganisationKind.ENTERPRISE, code=firm.uscc, name=firm.name)
    user = make_user(username)
    membership_grant(actor=SYSTEM, user=user, organisation=organisation, role=role)
    return user, organisation


def actor_for(user, organisation=None) -> Actor:
    if organisation is None:
        return Actor(user=user)
    return Actor(user=user, organisation=organisation, roles=roles_for(user, organisation))
