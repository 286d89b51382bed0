"""Read replica for public pages: views wrapped in @reads_from_replica read from DATABASE_REPLICA_URL.

Only read-only public views are wrapped, so read-after-write of a logged-in person is never sent to a lagging replica.
Without a replica configured everything reads from "default".
"""

from __future__ import annotations

import functools
import inspect
from contextvars import ContextVar

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def reads_from_replica(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = _use_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _use_replica.reset(token)

    # The view's string annotations (from __future__ import annotations) name things of the view's module, which
    # django-ninja would look up in this module's globals (wrapper.__globals__): resolve them here, where they exist.
    try:
        wrapper.__signature__ = inspect.signature(view, eval_str=True)
    except NameError:
        pass
    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and "replica" in settings.DATABASES:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
