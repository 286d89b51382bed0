"""Per-client rate limits of public endpoints: a fixed window counted in Django's cache (locmem in development and
tests, Redis in production, so every app server shares the count), per logged-in person or per client address for
anonymous requests. One cache increment per request. Modules call `check_rate` with their own key and setting."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError


class RateLimited(ServiceError):
    status = 429


def client_address(request) -> str:
    """The client address as the server sees it (behind the proxy, set REMOTE_ADDR from the proxy's header)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def check_rate(*, actor: Actor, client: str, key: str, setting: str, default: int, window_seconds: int,
               message: str) -> None:
    """Raise RateLimited (429 `rate_limited`, with `message`) once this person or address has made more than
    settings.<setting> (default `default`) requests of this kind in the current window."""
    limit = int(getattr(settings, setting, default))
    who = f"user:{actor.user.pk}" if actor.user is not None else f"addr:{client}"
    cache_key = f"rate:{key}:{who}:{int(time.time() // window_seconds)}"
    if cache.add(cache_key, 1, timeout=window_seconds + 30):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window_seconds + 30)
            count = 1
    if count > limit:
        raise RateLimited("rate_limited", message)
