"""Per-client limit of public objections (settings.REGISTRATION_OBJECTIONS_PER_HOUR, default 20), so the open
objection form cannot be flooded. Counted in Django's cache (shared by all app servers on Redis) per logged-in
person or per client address; department officers are not limited. One cache increment per objection."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError

DEFAULT_PER_HOUR = 20


class RateLimited(ServiceError):
    status = 429


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def check_objection_rate(actor: Actor, client: str) -> None:
    if actor.is_system or actor.department is not None:
        return
    limit = int(getattr(settings, "REGISTRATION_OBJECTIONS_PER_HOUR", DEFAULT_PER_HOUR))
    who = f"user:{actor.user.pk}" if actor.user is not None else f"addr:{client}"
    key = f"registration:objection:{who}:{int(time.time() // 3600)}"
    if cache.add(key, 1, timeout=3700):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3700)
            count = 1
    if count > limit:
        raise RateLimited("rate_limited", _("Too many objections from this client. Try again later."))
