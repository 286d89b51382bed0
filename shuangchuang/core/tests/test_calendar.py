"""Working days follow the calendar operators enter: holidays on weekdays are skipped, make-up Saturdays count."""

import datetime

import pytest

from shuangchuang.core.calendar import add_working_days
from shuangchuang.core.models import CalendarDay

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 9, 25)


def test_without_exceptions_weekends_are_skipped():
    assert add_working_days(FRIDAY, 1) == datetime.date(2026, 9, 28)
    assert add_working_days(FRIDAY, 3) == datetime.date(2026, 9, 30)
    assert add_working_days(FRIDAY, 0) == FRIDAY


def test_a_holiday_is_skipped_and_a_make_up_saturday_counts():
    source = "国务院办公厅关于2026年部分节假日安排的通知（测试数据）"
    for day in range(1, 8):
        CalendarDay.objects.create(day=datetime.date(2026, 10, day), working=False, name="国庆节", source=source)
    CalendarDay.objects.create(day=datetime.date(2026, 9, 26), working=True, name="国庆节调休上班", source=source)
    assert add_working_days(FRIDAY, 1) == datetime.date(2026, 9, 26)  # the make-up Saturday
    assert add_working_days(FRIDAY, 4) == datetime.date(2026, 9, 30)
    assert add_working_days(FRIDAY, 5) == datetime.date(2026, 10, 8)  # after the Golden Week
