"""Small builders of test data. Everything is written through the services, as the interfaces do."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.test import Client
from stdnum.cn import ric

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation, OrganisationKind, User
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.services import membership_grant, organisation_create, user_create
from shuangchuang.registry.uscc import make_uscc

PASSWORD = "Harbour-lantern-2016"
SYSTEM = Actor.system("test")

_serials = itertools.count(1)


def id_number(serial: int, *, region: str = "110105", birth: str = "19900101") -> str:
    """A valid 18-character resident ID number (GB 11643) for a serial 1..999."""
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def with_bad_check(number: str) -> str:
    """The same ID number with a wrong check character."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def enterprise_code(serial: int) -> str:
    """A valid USCC of a Shenzhen enterprise (9 1 440300 …)."""
    return make_uscc("9", "1", "440300", f"MA5T{serial:04d}")


def make_user(username: str, *, email: str = "", full_name: str = "", id_no: str | None = None,
              password: str | None = PASSWORD) -> User:
    return user_create(
        actor=SYSTEM, username=username, password=password, full_name=full_name or username,
        id_number=id_no if id_no is not None else id_number(next(_serials) % 999 + 1), email=email,
    )


def make_enterprise_org(name: str, serial: int) -> Organisation:
    return organisation_create(actor=SYSTEM, kind=OrganisationKind.ENTERPRISE, code=enterprise_code(serial), name=name)


def grant(user: User, organisation: Organisation, role: str):
    return membership_grant(actor=SYSTEM, user=user, organisation=organisation, role=role)


def department(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def platform() -> Organisation:
    return Organisation.objects.get(code="PLATFORM")


def actor_for(user: User, organisation: Organisation | None) -> Actor:
    """The actor the middleware builds for this person acting for this organisation."""
    if organisation is None:
        return Actor(user=user)
    return Actor(user=user, organisation=organisation, roles=roles_for(user, organisation))


def use_english(client: Client) -> Client:
    """Make the test client ask for English pages (the language cookie LocaleMiddleware reads)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_client(**kwargs) -> Client:
    return use_english(Client(**kwargs))
