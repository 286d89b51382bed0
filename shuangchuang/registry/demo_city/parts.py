"""Small building blocks of the generator: weighted choice, the Bloom filter of names, size classification,
homophone groups, organisation-code bodies and resident ID numbers."""

from __future__ import annotations

import bisect
import datetime
import math
import zlib

from pypinyin import lazy_pinyin
from stdnum import numdb
from stdnum.cn import ric

from shuangchuang.registry.reference import size_rules
from shuangchuang.registry.size_class import FEN_PER_WAN, classify
from shuangchuang.registry.uscc import ALPHABET
from shuangchuang.registry.demo_city.data import _MA_THIRD, _NEW_MULTIPLIER, _NEW_SPACE


class _Weighted:
    """Weighted choice: items[bisect_right(cum, random() * total)], inlined where it is used."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        pairs = [(item, float(w)) for item, w in pairs if w > 0]
        self.items = [item for item, _ in pairs]
        self.cum = []
        total = 0.0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total


class _SeenNames:
    """A Bloom filter of the names made so far (three probes, ~16 bits a name): never calls a name new twice,
    very rarely calls a new name seen (the caller then makes another). Deterministic (CRC-32 and Adler-32 of
    the UTF-8 name, not hash(), which changes from process to process)."""

    def __init__(self, expected: int):
        bits = 1 << max(20, math.ceil(math.log2(max(expected, 1) * 16)))
        self.mask = bits - 1
        self.bits = bytearray(bits // 8)

    def add_if_new(self, name: str) -> bool:
        data = name.encode()
        h = zlib.crc32(data)
        step = (zlib.adler32(data) * 2654435761 >> 7) | 1  # a second, independent hash, spread over the bits
        mask, bits = self.mask, self.bits
        p0 = h & mask
        p1 = (h + step) & mask
        p2 = (h + 2 * step) & mask
        b0, b1, b2 = 1 << (p0 & 7), 1 << (p1 & 7), 1 << (p2 & 7)
        if bits[p0 >> 3] & b0 and bits[p1 >> 3] & b1 and bits[p2 >> 3] & b2:
            return False
        bits[p0 >> 3] |= b0
        bits[p1 >> 3] |= b1
        bits[p2 >> 3] |= b2
        return True


class _Classifier:
    """registry.size_class.classify with the rules of registry.reference.size_rules(), memoised.

    classify decides by comparing each figure with the rule's thresholds (below / at least). For one
    metric, where the figure falls among that metric's thresholds (bisect left and right, in fen or
    persons) settles every such comparison, so rows with equal positions get equal classes: that is the
    memo key, and a miss calls classify itself. The memo stays small (a few hundred keys).
    """

    def __init__(self):
        self.rules, self.by_division, self.by_class = size_rules()
        self.plans: dict[str, tuple] = {}
        for category, rule in self.rules.items():
            parts = (rule.sme_ceiling, rule.medium, rule.small)
            bounds = {}
            for metric in ("employees", "revenue", "assets"):
                scale = 1 if metric == "employees" else FEN_PER_WAN
                values = sorted({part[metric] * scale for part in parts if metric in part})
                bounds[metric] = values if metric in rule.metrics or values else None
            exact = all(float(v).is_integer() for part in parts for v in part.values())
            self.plans[category] = (rule, exact, bounds["employees"], bounds["revenue"], bounds["assets"])
        self.memo: dict[tuple, str] = {}

    def category(self, division: str, class_code: str) -> str | None:
        return self.by_class.get(class_code) or self.by_division.get(division)

    def __call__(self, category: str | None, employees, revenue_fen, assets_fen) -> str:
        plan = self.plans.get(category or "")
        if plan is None:
            return ""
        rule, exact, e_bounds, r_bounds, a_bounds = plan
        if not exact:
            return classify(rule, employees=employees, revenue_fen=revenue_fen, assets_fen=assets_fen)
        key = (
            category,
            _position(e_bounds, employees), _position(r_bounds, revenue_fen), _position(a_bounds, assets_fen),
        )
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = classify(
                rule, employees=employees, revenue_fen=revenue_fen, assets_fen=assets_fen
            )
        return found


def _position(bounds: list[int] | None, value: int | None):
    if bounds is None:
        return 0  # the rule does not look at this figure
    if value is None:
        return None
    return bisect.bisect_left(bounds, value), bisect.bisect_right(bounds, value)


def _region_since() -> dict[str, int]:
    """First year of each Shenzhen region code in python-stdnum's cn/loc ("[2016-]龙华区" → 2016)."""
    since = {}
    db = numdb.get("cn/loc")
    for code in ("440300", "440301", "440303", "440304", "440305", "440306", "440307", "440308", "440309",
                 "440310", "440311"):
        info = db.info(code)
        county = info[1][1].get("county", "") if len(info) > 1 else ""
        first = county.split(",")[0]
        since[code] = int(first[1:5]) if first.startswith("[") and first[1:5].isdigit() else 0
    return since


def _homophone_groups(chars: str) -> dict[str, str]:
    """char → the other characters of the pool with the same toneless pinyin (deterministic: pool order)."""
    by_sound: dict[str, list[str]] = {}
    for char in dict.fromkeys(chars):
        by_sound.setdefault(lazy_pinyin(char)[0], []).append(char)
    groups = {}
    for members in by_sound.values():
        if len(members) > 1:
            for char in members:
                groups[char] = "".join(m for m in members if m != char)
    return groups


_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]  # base-31 digit pairs, 961
_TRIPLES = [a + b for a in ALPHABET for b in _PAIRS]  # base-31 digit triples, 29,791


def _body_new(k: int, offset: int) -> str:
    """The k-th "MA…" organisation-code body: "MA", 1 of 30 (never 5), 5 base-31 digits; a bijection of k."""
    rest, third = divmod((k * _NEW_MULTIPLIER + offset) % _NEW_SPACE, len(_MA_THIRD))
    high, low = divmod(rest, 961)
    return "MA" + _MA_THIRD[third] + _TRIPLES[high] + _PAIRS[low]


def person_id_number(region6: str, birth: datetime.date, serial: int) -> str:
    """A valid 18-character resident ID number (GB 11643): region, birth date, sequence serial % 1000, check.

    The sequence's parity is the sex (odd: male). The region must have existed in the birth year for
    python-stdnum to accept the number (e.g. 440305 南山区 from 1983, 440306 宝安区 from 1992).
    """
    return _id_number(region6, f"{birth:%Y%m%d}", serial)


def _id_number(region6: str, yyyymmdd: str, serial: int) -> str:
    body = region6 + yyyymmdd + _SERIALS[serial % 1000]
    return body + ric.calc_check_digit(body + "0")  # calc_check_digit ignores the last character


_SERIALS = [f"{n:03d}" for n in range(1000)]
