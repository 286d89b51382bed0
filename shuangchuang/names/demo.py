"""Demo data of the names module: the name index of the synthetic city, and reservations of the demo log-ins —
demo-enterprise (李明) for 深圳市鹏城创芯科技有限公司 (a subsidiary's name, similar to the parent's, acknowledged)
and for himself (one in force, one expired), demo-staff (王芳) for the same enterprise with prior approval (one
year). Loaded after the registry (ORDER 10) and before the registration module, which may consume them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.demo import DemoContext
from shuangchuang.core.errors import ServiceError
from shuangchuang.core.models import Organisation, User
from shuangchuang.core.selectors import roles_for
from shuangchuang.names.index import index_build
from shuangchuang.names.models import NameReservation
from shuangchuang.names.services import name_reservations_expire, name_reserve
from shuangchuang.registry.models import Enterprise

ORDER = 15
LOGINS: list = []  # the registry's demo log-ins are used
PARENT = "深圳市鹏城创芯科技有限公司"


def is_loaded() -> bool:
    return NameReservation.objects.exists()


def _actor(username: str, organisation: Organisation | None) -> Actor | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    if organisation is None:
        return Actor(user=user)
    return Actor(user=user, organisation=organisation, roles=roles_for(user, organisation))


def load(context: DemoContext) -> None:
    counts = index_build(rebuild=True)
    context.log(f"Name index: {counts}")
    parent = Enterprise.objects.filter(name=PARENT).first()
    org = Organisation.objects.filter(name=PARENT).first()
    owner_for_firm, owner_self = _actor("demo-enterprise", org), _actor("demo-enterprise", None)
    staff = _actor("demo-staff", org)
    if parent is None or org is None or None in (owner_for_firm, owner_self, staff):
        context.log("Names demo: the registry's demo accounts are missing; skipped.")
        return
    now = timezone.now()
    wanted = [
        (owner_for_firm, "深圳市鹏城创芯半导体有限公司", {"industry_code": "39", "investor_usccs": [parent.uscc],
                                                      "acknowledge_similar": True}),
        (owner_self, "深圳市星澜智算科技有限公司", {"industry_code": "65"}),
        (staff, "深圳市鹏城创芯医疗器械有限公司", {"industry_code": "35", "prior_approval": True,
                                                "acknowledge_similar": True}),
        (owner_self, "深圳市澜湾茶业有限公司", {"industry_code": "15", "now": now - datetime.timedelta(days=75)}),
    ]
    made = 0
    for actor, name, options in wanted:
        try:
            name_reserve(actor=actor, name=name, legal_form="llc", registration_authority=None, **options)
            made += 1
        except ServiceError as exc:
            context.log(f"Names demo: {name} not reserved ({exc.code}: {exc.message})")
    expired = name_reservations_expire(actor=context.actor)
    context.log(f"Names demo: {made} reservations, {expired} expired")
