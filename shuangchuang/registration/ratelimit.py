"""Per-client limit of public objections (settings.REGISTRATION_OBJECTIONS_PER_HOUR, default 20), so the open
objection form cannot be flooded. Counted in Django's cache (shared by all app servers on Redis) per logged-in
person or per client address; department officers are not limited. One cache increment per objection."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.ratelimit import RateLimited, check_rate, client_address

DEFAULT_PER_HOUR = 20

__all__ = ["RateLimited", "check_objection_rate", "client_address"]


def check_objection_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.department is not None:
        return
    check_rate(actor=actor, client=client, key="registration:objection", setting="REGISTRATION_OBJECTIONS_PER_HOUR",
               default=DEFAULT_PER_HOUR, window_seconds=3600,
               message=_("Too many objections from this client. Try again later."))
