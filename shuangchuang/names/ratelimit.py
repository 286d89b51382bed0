"""Per-client rate limit of public name checks (settings.NAMES_CHECK_RATE_PER_MINUTE, default 60: the live form
checks as the applicant types, a few requests per name).

Reuses the credit module's client address and RateLimited error (429 `rate_limited`); the counting is the same
fixed one-minute window in Django's cache, under a key of its own. credit.ratelimit.check_screening_rate reads its
own setting and key, so it cannot be called for names as it is (see the report: a `setting`/`prefix` parameter
there would let both share one function).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.credit.ratelimit import RateLimited, client_address

DEFAULT_RATE_PER_MINUTE = 60

__all__ = ["RateLimited", "check_name_rate", "client_address"]


def check_name_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.is_platform_admin or actor.department is not None:
        return
    limit = int(getattr(settings, "NAMES_CHECK_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE))
    who = f"user:{actor.user.pk}" if actor.user is not None else f"addr:{client}"
    key = f"names:check:{who}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=90)
            count = 1
    if count > limit:
        raise RateLimited("rate_limited", _("Too many name checks from this client. Try again in a minute."))
