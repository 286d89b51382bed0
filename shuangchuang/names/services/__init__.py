"""Use cases of the names module (one keyword-only function each)."""

from shuangchuang.names.services.check import name_check
from shuangchuang.names.services.protection import investment_relation_record, name_protect
from shuangchuang.names.services.reservations import (
    name_reservation_consume,
    name_reservation_release,
    name_reservations_expire,
    name_reserve,
)

__all__ = [
    "investment_relation_record",
    "name_check",
    "name_protect",
    "name_reservation_consume",
    "name_reservation_release",
    "name_reservations_expire",
    "name_reserve",
]
