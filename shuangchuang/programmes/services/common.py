"""Helpers shared by the programmes services (not use cases themselves)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.core.models import User
from shuangchuang.core.services import notification_send

SCREENER = Actor.system("programmes")


def members_of(organisation, roles) -> list[User]:
    return list(User.objects.filter(memberships__organisation=organisation, memberships__is_active=True,
                                    memberships__role__in=list(roles), is_active=True).distinct())


def notify(*, actor: Actor, organisation, roles, subject: str, body: str = "", url: str = "") -> None:
    recipients = [u for u in members_of(organisation, roles) if actor.user is None or u.pk != actor.user.pk]
    if recipients:
        notification_send(actor=actor, recipients=recipients, subject=subject, body=body, url=url,
                          organisation=organisation)


def fen_text(fen: int | None) -> str:
    if fen is None:
        return "—"
    yuan, cents = divmod(abs(int(fen)), 100)
    sign = "-" if fen < 0 else ""
    return f"{sign}{yuan:,}.{cents:02d}"


def check_aware(value, field: str) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise ServiceError("invalid_datetime", _("Give a date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parameter(key: str, on: datetime.date):
    if not key:
        return None
    from shuangchuang.policies.selectors.parameters import parameter_value

    return parameter_value(key, on=on)
