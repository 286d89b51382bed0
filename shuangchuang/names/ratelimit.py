"""Per-client rate limit of public name checks (settings.NAMES_CHECK_RATE_PER_MINUTE, default 60: the live form
checks as the applicant types, a few requests per name); officers are not limited. The counting is
core.ratelimit's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.ratelimit import RateLimited, check_rate, client_address

DEFAULT_RATE_PER_MINUTE = 60

__all__ = ["RateLimited", "check_name_rate", "client_address"]


def check_name_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.is_platform_admin or actor.department is not None:
        return
    check_rate(actor=actor, client=client, key="names:check", setting="NAMES_CHECK_RATE_PER_MINUTE",
               default=DEFAULT_RATE_PER_MINUTE, window_seconds=60,
               message=_("Too many name checks from this client. Try again in a minute."))
