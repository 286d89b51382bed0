"""Per-client rate limit of public screening (settings.CREDIT_SCREEN_RATE_PER_MINUTE, default 30); officers are not
limited. The counting is core.ratelimit's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.ratelimit import RateLimited, check_rate, client_address
from shuangchuang.credit.permissions import is_officer

DEFAULT_RATE_PER_MINUTE = 30

__all__ = ["RateLimited", "check_screening_rate", "client_address"]


def check_screening_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return
    check_rate(actor=actor, client=client, key="credit:screen", setting="CREDIT_SCREEN_RATE_PER_MINUTE",
               default=DEFAULT_RATE_PER_MINUTE, window_seconds=60,
               message=_("Too many screenings from this client. Try again in a minute."))
