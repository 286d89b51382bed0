"""Working days: Monday to Friday, except the holidays and make-up working days entered as CalendarDay rows."""

from __future__ import annotations

import datetime

from shuangchuang.core.models import CalendarDay


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (one query for the exceptions of the period)."""
    if days <= 0:
        return start
    horizon = start + datetime.timedelta(days=days * 2 + 60)  # long enough for Golden Weeks
    exceptions = dict(CalendarDay.objects.filter(day__gt=start, day__lte=horizon).values_list("day", "working"))
    current, added = start, 0
    while added < days:
        current += datetime.timedelta(days=1)
        if exceptions.get(current, current.weekday() < 5):
            added += 1
    return current
