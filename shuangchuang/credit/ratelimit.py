"""Per-client rate limit of public screening (settings.CREDIT_SCREEN_RATE_PER_MINUTE, default 30).

Counted in Django's cache (locmem in development and tests, Redis in production, so all app servers share the
count) per logged-in person, or per client address for anonymous requests; officers are not limited. A fixed
one-minute window keeps it to one cache increment per request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.credit.permissions import is_officer

DEFAULT_RATE_PER_MINUTE = 30


class RateLimited(ServiceError):
    status = 429


def client_address(request) -> str:
    """The client address as the server sees it (behind the proxy, set REMOTE_ADDR from the proxy's header)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def check_screening_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.is_platform_admin or is_officer(actor):
        return
    limit = int(getattr(settings, "CREDIT_SCREEN_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE))
    who = f"user:{actor.user.pk}" if actor.user is not None else f"addr:{client}"
    key = f"credit:screen:{who}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=90)
            count = 1
    if count > limit:
        raise RateLimited("rate_limited", _("Too many screenings from this client. Try again in a minute."))
