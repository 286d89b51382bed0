"""The deterministic synthetic city: millions of enterprises and their legal representatives, streamed.

`generate_city(enterprises=…, seed=…, stdout=…)` writes NaturalPerson and Enterprise rows shaped like
Shenzhen's register (district shares, industry mix, legal forms, founding years, closures, heavy-tailed
figures) straight into the database: rows are made in batches by one `random.Random(seed)` and written
as they are made (COPY on PostgreSQL, executemany on SQLite), so the city is never held in memory. For
large cities a forked process generates while this one writes, so two cores work, and the secondary
indexes are rebuilt after the load. The same (enterprises, seed) on the same starting database gives
identical rows, in or out of the forked process; nothing depends on the clock (ages are counted from
REFERENCE_DATE).

The whole load is one transaction and writes one audit event ("registry.synthetic_city_generated").

Codes:
- USCC (GB 32100) by `registry.uscc.make_uscc`: 91 enterprise, 92 个体工商户, 93 cooperative; the
  organisation-code body is a bijection of a running number (so bodies never repeat): firms founded
  before 2015-10-01 have 8-digit bodies, later ones "MA" + 6 characters, never "MA5…" (reserved for the
  hand-made demo accounts in registry/demo.py).
- Resident ID numbers (GB 11643) by `person_id_number`; the generated persons use sequence numbers
  010-999, so the sequences 000-009 stay free for hand-made accounts.
- Old 15-digit registration numbers: 4403 + 2 + 8-digit running number + ISO 7064 MOD 11,10 check
  (that this is the exact GB/T 17710 rule of the old numbers is unverified, POLICY-FACTS §2.2 [R]).
- High-tech certificate numbers "GR" + year + "44" + 6 digits are synthetic.
"""

from __future__ import annotations

import bisect
import datetime
import math
import marshal
import multiprocessing
import random
import time
import traceback
import zlib
from array import array
from collections import deque
from dataclasses import dataclass
from typing import Any, Iterator, TextIO

from django.db import connection, transaction
from pypinyin import lazy_pinyin
from stdnum import numdb
from stdnum.cn import ric
from stdnum.iso7064 import mod_11_10

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import District, Enterprise, IndustryDivision, NaturalPerson
from shuangchuang.registry.reference import size_rules
from shuangchuang.registry.size_class import FEN_PER_WAN, classify
from shuangchuang.registry.uscc import ALPHABET, make_uscc

REFERENCE_DATE = datetime.date(2026, 11, 28)
REFERENCE_ORD = REFERENCE_DATE.toordinal()
# updated_at of every generated row: midnight of the reference date in Shenzhen, in UTC.
UPDATED_AT = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=datetime.timezone.utc)
USCC_START_ORD = datetime.date(2015, 10, 1).toordinal()  # GB 32100 in force: later firms get "MA…" bodies
BATCH_SIZE = 5000
PROGRESS_EVERY = 100_000
PARALLEL_FROM = 50_000  # from this many enterprises a forked process generates while this one writes
REBUILD_INDEXES_FROM = 50_000  # from this many (and at least as many as there are) indexes are rebuilt after
CITY_REGION = "440300"
AUTHORITY_CODE = "SZ-MQSA"
FIRST_GENERATED_SERIAL = 10  # ID sequences 000-009 are left to hand-made accounts (registry/demo.py uses 001-007)

# Organisation-code bodies: three disjoint spaces, each walked by (k * multiplier + offset) mod size,
# a bijection because each multiplier is coprime to its space.
_MA_THIRD = ALPHABET.replace("5", "")  # "MA5…" is reserved for the hand-made demo accounts
_NEW_SPACE = len(_MA_THIRD) * 31**5  # "MA" + 1 of 30 + 5 of 31
_NEW_MULTIPLIER = 547_123_463
_OLD_SPACE = 10**8  # 8-digit bodies of firms that had an organisation code before the USCC
_OLD_MULTIPLIER = 73_939_133
_REGNO_SPACE = 10**8
_REGNO_MULTIPLIER = 61_051_709
# A body used by a hand-made organisation in registry/demo.py; skipped so organisation codes stay unique.
_RESERVED_BODIES = frozenset({"45575808"})

# ---------------------------------------------------------------------------------------------------------
# Vocabulary

# Characters for trade names (字号). Rich in homophones (鑫/新/欣/信/馨/心/芯, 华/骅/桦, 鹏/朋, …) so that
# homophone trade names arise; no region names (深, 粤) and no 国 / 中 (restricted wording).
TRADE_NAME_CHARS = (
    "华骅桦达大鹏朋腾藤晟盛胜升辉晖徽汇惠慧瑞睿锐源元远园沅宏鸿弘泓虹泰太昌畅通同彤桐嘉佳家加康安"
    "宇誉裕钰煜昱玉丰峰锋枫凤龙隆金锦晋进天田海明铭名光广智志致至博波柏铂诚成城承程和合禾众联连富福"
    "孚力立利丽益亿艺怡逸毅翼易凯开威维伟唯炜科创荣融容蓉榕耀尧旭煦思斯哲捷杰迅讯航杭帆凡岭凌灵领南"
    "楠申越悦跃港湾万前乾谦千东栋西希熙喜曦贝涛韬祥翔湘享顺舜星兴行云运韵芸卓英盈赢莹颖鹰骏俊君峻美"
    "德浩豪昊泽辰晨宸奇启琪齐麒祺蓝澜兰宁平拓普浦恒衡亨森林霖麟臻振真珍环青清庆晴精京景晶菁松嵩百佰"
    "奥澳傲邦轩宣品尚上商爱诺雅亚乐坤昆世仕展飞长新鑫欣信馨心芯微数"
)

SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("陈", 62), ("刘", 54), ("黄", 34), ("杨", 31), ("林", 20),
    ("吴", 21), ("赵", 23), ("周", 21), ("徐", 17), ("孙", 15), ("马", 14), ("朱", 13), ("胡", 13),
    ("郭", 12), ("何", 13), ("罗", 11), ("高", 10), ("郑", 11), ("梁", 12), ("谢", 9), ("宋", 8),
    ("唐", 8), ("许", 8), ("邓", 9), ("冯", 7), ("韩", 7), ("曹", 7), ("曾", 8), ("彭", 7), ("萧", 3),
    ("蔡", 7), ("潘", 6), ("田", 6), ("董", 5), ("袁", 5), ("于", 5), ("余", 5), ("叶", 6), ("蒋", 5),
    ("杜", 5), ("苏", 5), ("魏", 5), ("程", 5), ("吕", 5), ("丁", 4), ("沈", 4), ("任", 4), ("姚", 4),
    ("卢", 4), ("钟", 5), ("姜", 4), ("崔", 3), ("谭", 4), ("廖", 4), ("范", 3), ("汪", 3), ("陆", 3),
    ("金", 3), ("石", 3), ("戴", 3), ("贾", 3), ("韦", 3), ("夏", 3), ("邱", 4), ("方", 3), ("侯", 3),
    ("邹", 3), ("熊", 3), ("孟", 3), ("秦", 3), ("白", 3), ("江", 3), ("赖", 3), ("欧阳", 0.5),
    ("司徒", 0.3), ("上官", 0.2), ("诸葛", 0.1),
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳晨博文亮峰建志海东锋毅豪昊睿轩然泽宏诚德家嘉振永松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂燕萍红婷雪琳晶颖倩欣怡佳思雨梦嘉慧璐洁莉蓉薇月瑶妍晓丹琪悦涵诗青"

# Weights of GB/T 4754 divisions for companies (Shenzhen-like: trade, business services, software and
# technology, electronics). Divisions with name terms but not listed weigh 0.5; without terms, 0.
DIVISION_WEIGHTS: dict[str, float] = {
    "51": 200, "52": 90, "72": 120, "65": 80, "75": 55, "64": 25, "39": 40, "38": 14, "34": 8, "35": 10,
    "40": 5, "33": 8, "29": 7, "18": 6, "24": 5, "26": 4, "27": 3, "36": 3, "37": 2, "41": 5, "14": 2,
    "19": 2, "21": 2, "22": 2, "23": 3, "30": 2, "47": 8, "48": 6, "49": 5, "50": 14, "54": 8, "55": 1.5,
    "58": 20, "59": 8, "60": 3, "61": 5, "62": 25, "63": 3, "66": 1, "67": 25, "68": 2, "69": 8, "70": 18,
    "71": 8, "73": 10, "74": 20, "77": 4, "78": 2, "80": 15, "81": 8, "82": 8, "83": 10, "84": 5, "85": 1,
    "86": 2, "87": 8, "88": 12, "89": 4, "90": 3,
    "06": 0.05, "07": 0.05, "08": 0.05, "09": 0.05, "10": 0.05, "11": 0.05, "12": 0.05, "53": 0.05,
}
INDIVIDUAL_DIVISION_WEIGHTS = {
    "52": 45, "62": 25, "80": 8, "81": 6, "51": 5, "72": 3, "54": 2, "82": 2, "61": 1, "84": 1, "83": 1, "65": 1,
}
PARTNERSHIP_DIVISION_WEIGHTS = {"67": 50, "72": 30, "75": 5, "65": 3, "74": 3, "51": 4, "88": 2, "83": 2, "84": 1}
SOLE_DIVISION_WEIGHTS = {
    "72": 25, "51": 20, "52": 10, "65": 8, "75": 8, "88": 5, "74": 5, "87": 4, "80": 5, "62": 4, "81": 3, "83": 3,
}
COOPERATIVE_DIVISION_WEIGHTS = {"01": 60, "02": 10, "03": 10, "04": 15, "05": 5}
JSC_DIVISION_BOOST = {"39": 6, "38": 5, "65": 3, "27": 6, "26": 4, "35": 4, "36": 5, "67": 2, "70": 3, "40": 4, "34": 3}
TECH_DIVISIONS = frozenset({"26", "27", "34", "35", "36", "37", "38", "39", "40", "63", "64", "65", "73", "74", "75"})

# Shops of 个体工商户: the industry wording of their names, by division.
INDIVIDUAL_TERMS = {
    "52": ("便利店", "商行", "士多店", "百货店", "五金店", "服装店", "水果店", "烟酒商行", "副食店", "文具店"),
    "62": ("餐厅", "小吃店", "饭店", "茶餐厅", "面馆", "烧腊店", "奶茶店", "快餐店", "粥店"),
    "80": ("理发店", "美容店", "摄影工作室", "洗衣店", "家政服务部"),
    "81": ("汽车维修部", "手机维修部", "电器维修部", "修理店"),
    "51": ("贸易商行", "批发部"),
    "72": ("广告部", "文印店", "工作室"),
    "54": ("运输部", "货运部"),
    "82": ("服务部", "清洁服务部"),
    "61": ("旅馆", "公寓"),
    "84": ("诊所",),
    "83": ("培训部",),
    "65": ("电脑经营部",),
}
SOLE_SUFFIXES = ("经营部", "服务部", "工作室", "商行", "中心")
ORDINALS = "一二三四五六七八九十"

# Streets (街道) by district code or key; roads are shared.
STREETS = {
    "440303": ("桂园", "黄贝", "东门", "翠竹", "南湖", "笋岗", "东湖", "莲塘", "东晓", "清水河"),
    "440304": ("南园", "园岭", "福田", "沙头", "香蜜湖", "梅林", "莲花", "华富", "福保", "华强北"),
    "440305": ("南头", "南山", "沙河", "蛇口", "招商", "粤海", "桃源", "西丽"),
    "440306": ("新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"),
    "440307": ("平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "吉华", "宝龙", "园山"),
    "440308": ("梅沙", "盐田", "沙头角", "海山"),
    "440309": ("观湖", "民治", "龙华", "大浪", "福城", "观澜"),
    "440310": ("坪山", "马峦", "碧岭", "石井", "坑梓", "龙田"),
    "440311": ("光明", "公明", "新湖", "凤凰", "玉塘", "马田"),
    "dapeng": ("葵涌", "大鹏", "南澳"),
    "shenshan": ("鹅埠", "小漠", "鲘门", "赤石"),
}
ROADS = (
    "建设路", "人民路", "工业路", "创业路", "中心路", "和平路", "兴华路", "前进路", "创新路", "环城路", "振兴路",
    "东环路", "西环路", "南环路", "北环路", "新城大道", "青年路", "文化路", "学府路", "科技路", "商业街", "宝安大道",
    "深南大道", "滨海大道", "沙河路", "高新南路", "科苑路", "布龙路", "梅观路", "松白路",
)
BUILDINGS = ("大厦", "科技园", "产业园", "工业园", "商务中心", "花园", "广场")

# Founding years 1985-2026, most after 2014.
FOUNDING_YEAR_WEIGHTS = (
    [(y, 0.3) for y in range(1985, 1992)] + [(y, 0.8) for y in range(1992, 2000)]
    + [(y, 1.5) for y in range(2000, 2008)] + [(y, 3.0) for y in range(2008, 2014)]
    + [(2014, 5.0), (2015, 6.0), (2016, 7.0), (2017, 7.5), (2018, 8.0), (2019, 8.0), (2020, 8.0),
       (2021, 8.0), (2022, 7.0), (2023, 7.0), (2024, 7.0), (2025, 7.0), (2026, 6.5)]
)
# legal form → share of rows
LEGAL_FORM_WEIGHTS = (
    ("llc", 62.9), ("individual", 22.0), ("branch", 7.0), ("partnership", 3.5), ("sole", 3.0), ("jsc", 1.5),
    ("cooperative", 0.1),
)
CLOSED_STATUSES = (("deregistered", 72), ("revoked", 17), ("moved_out", 4), ("suspended", 3), ("liquidating", 4))
# registered capital in 万元 by legal form
CAPITAL_WAN = {
    "llc": ((1, 3), (3, 3), (5, 5), (10, 20), (20, 5), (30, 5), (50, 12), (100, 20), (200, 6), (300, 5),
            (500, 8), (1000, 6), (2000, 1.5), (3000, 1), (5000, 1), (10000, 0.5), (50000, 0.05)),
    "jsc": ((500, 10), (1000, 20), (2000, 15), (3000, 10), (5000, 15), (10000, 15), (20000, 6), (50000, 4),
            (100000, 1)),
    "partnership": ((10, 5), (100, 20), (500, 15), (1000, 20), (3000, 10), (5000, 8), (10000, 6), (50000, 2)),
    "sole": ((1, 10), (3, 10), (5, 15), (10, 30), (20, 10), (50, 10), (100, 5)),
    "individual": ((1, 30), (2, 20), (3, 20), (5, 20), (10, 10)),
    "cooperative": ((10, 30), (50, 30), (100, 30), (500, 10)),
}
# employees ~ lognormal(mu, sigma); with probability tail_p a Pareto tail from tail_min
EMPLOYEES = {
    "llc": (1.2, 1.15, 0.004, 200), "jsc": (3.8, 1.3, 0.06, 300), "partnership": (0.5, 0.9, 0.0, 0),
    "sole": (0.7, 0.9, 0.0, 0), "individual": (0.3, 0.6, 0.0, 0), "cooperative": (1.5, 0.8, 0.0, 0),
}
# revenue per employee in 万元 by size-standard category (times a lognormal factor, median 0.67)
REVENUE_PER_EMPLOYEE_WAN = {
    "wholesale": 120, "retail": 40, "catering": 15, "accommodation": 20, "software": 40,
    "information_transmission": 60, "industry": 50, "construction": 80, "transport": 40, "warehousing": 40,
    "postal": 25, "real_estate_development": 300, "property_management": 15, "leasing_business": 40,
    "agriculture": 20, "other": 30,
}


# ---------------------------------------------------------------------------------------------------------
# Public helpers

@dataclass(frozen=True)
class CityStats:
    enterprises: int
    persons: int
    seconds: float
    rows_per_second: float

    def __str__(self) -> str:
        return (f"{self.enterprises:,} enterprises and {self.persons:,} persons in {self.seconds:.1f} s "
                f"({self.rows_per_second:,.0f} rows/s)")


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


def generate_city(*, enterprises: int, seed: int, stdout: TextIO) -> CityStats:
    """Generate and store a synthetic city of `enterprises` register entries (plus their representatives).

    One transaction: the rows, the rebuilt indexes and the audit event commit together or not at all.
    """
    started = time.perf_counter()
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"The synthetic city loads into PostgreSQL or SQLite, not {vendor}.")
    # SQLite's safety level can only change outside a transaction (not, e.g., inside a test's transaction).
    sqlite_pragmas = _sqlite_fast_pragmas() if vendor == "sqlite" and not connection.in_atomic_block else None
    try:
        with transaction.atomic():
            first_enterprise_id = (Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            first_person_id = (NaturalPerson.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            city = _City(
                enterprises=enterprises, seed=seed, first_enterprise_id=first_enterprise_id,
                first_person_id=first_person_id,
                # as the databases write it: rows hold only str, int, bool and None (marshal moves them)
                updated_at=UPDATED_AT.strftime("%Y-%m-%d %H:%M:%S" + ("+00:00" if vendor == "postgresql" else "")),
            )
            writer = _PostgresWriter() if vendor == "postgresql" else _SqliteWriter()
            # Secondary indexes cost more to keep up row by row than to rebuild, when the load is large
            # compared with what is already there.
            indexes = None
            if enterprises >= REBUILD_INDEXES_FROM and enterprises >= first_enterprise_id - 1:
                indexes = _SecondaryIndexes(vendor)
                indexes.drop()
            parallel = enterprises >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()
            made = persons_made = 0
            next_report = PROGRESS_EVERY
            # make_uscc (~15-20 µs a code) runs in this process (the writer's _finish), which balances the
            # two cores: generation on one, make_uscc + executemany (or + COPY and the server) on the other.
            source = _forked(city) if parallel else _in_process(city)
            for persons, firms, made, persons_made in source:
                writer.write(persons, firms)
                if made >= next_report or made == enterprises:
                    next_report = made + PROGRESS_EVERY
                    _progress(stdout, made, persons_made, started)
            if indexes is not None:
                stdout.write(f"  rebuilding {indexes.count} indexes and constraints…\n")
                stdout.flush()
                rebuild_started = time.perf_counter()
                indexes.rebuild()
                stdout.write(f"  rebuilt in {time.perf_counter() - rebuild_started:.1f} s\n")
            writer.finish()
            authority = Organisation.objects.filter(code=AUTHORITY_CODE).first()
            audit_record(
                actor=Actor.system("demo"), verb="registry.synthetic_city_generated", department=authority,
                params={"seed": seed, "enterprises": made, "persons": persons_made,
                        "first_enterprise_id": first_enterprise_id, "first_person_id": first_person_id},
            )
    finally:
        if sqlite_pragmas is not None:
            _sqlite_restore_pragmas(sqlite_pragmas)
    seconds = time.perf_counter() - started
    rows = made + persons_made
    return CityStats(made, persons_made, seconds, rows / seconds if seconds else 0.0)


def _progress(stdout: TextIO, enterprises: int, persons: int, started: float) -> None:
    seconds = time.perf_counter() - started
    rows = enterprises + persons
    stdout.write(f"  {enterprises:,} enterprises, {persons:,} persons: {rows:,} rows in {seconds:.1f} s "
                 f"({rows / seconds:,.0f} rows/s)\n")
    stdout.flush()


def _in_process(city: _City) -> Iterator[tuple[list, list, int, int]]:
    for persons, firms in city.batches():
        yield persons, firms, city.enterprises_made, city.persons_made


def _forked(city: _City) -> Iterator[tuple[list, list, int, int]]:
    """The same batches, made by a forked child process while this one writes (two cores at work).

    The child only computes (the reference data is already in `city`) and never touches the database
    connection it inherits; it leaves by os._exit, so nothing of the parent is closed or flushed twice.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(city, sender), name="demo-city-generator", daemon=True)
    child.start()
    sender.close()
    finished = False
    try:
        while True:
            kind, payload = marshal.loads(receiver.recv_bytes())
            if kind == "batch":
                yield payload
            elif kind == "done":
                finished = True
                return
            else:
                raise RuntimeError(f"The synthetic-city generator failed:\n{payload}")
    finally:
        receiver.close()
        if not finished and child.is_alive():
            child.terminate()
        child.join()


def _produce(city: _City, sender) -> None:
    try:
        for persons, firms in city.batches():
            message = ("batch", (persons, firms, city.enterprises_made, city.persons_made))
            sender.send_bytes(marshal.dumps(message))
        sender.send_bytes(marshal.dumps(("done", None)))
    except BrokenPipeError:  # the parent stopped reading (it failed); nothing to report
        pass
    except BaseException:
        sender.send_bytes(marshal.dumps(("error", traceback.format_exc())))
    finally:
        sender.close()


# ---------------------------------------------------------------------------------------------------------
# Generation

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


class _City:
    """The city's generator state: one Random, bounded memories, code counters.

    Persons come out as tuples, enterprises as lists (the writer fills in the USCC in place)."""

    def __init__(self, *, enterprises: int, seed: int, first_enterprise_id: int, first_person_id: int, updated_at):
        self.total = enterprises
        self.rng = rng = random.Random(seed)
        self.updated_at = updated_at
        self.next_enterprise_id = first_enterprise_id
        self.next_person_id = first_person_id
        self.enterprises_made = 0
        self.persons_made = 0
        self.authority_id = Organisation.objects.filter(code=AUTHORITY_CODE).values_list("id", flat=True).first()

        # Day tables (ISO strings, YYYYMMDD, year) from 1920 to the reference date: no date objects per row.
        self.day0 = day0 = datetime.date(1920, 1, 1).toordinal()
        days = [datetime.date.fromordinal(o) for o in range(day0, REFERENCE_ORD + 1)]
        self.iso = [d.isoformat() for d in days]
        self.ymd = [d.strftime("%Y%m%d") for d in days]
        self.year_of = array("H", [d.year for d in days])
        years = _Weighted(FOUNDING_YEAR_WEIGHTS)
        self.years = (
            [(datetime.date(y, 1, 1).toordinal(), min(datetime.date(y, 12, 31).toordinal(), REFERENCE_ORD))
             for y in years.items], years.cum, years.total,
        )

        # Reference data, loaded once.
        self.region_since = since = _region_since()
        self.districts = []
        for d in District.objects.order_by("key").values("id", "key", "code", "name", "demo_share"):
            streets = STREETS.get(d["code"] or d["key"], ("中心", "新城"))
            suffix = "镇" if d["key"] == "shenshan" else "街道"
            self.districts.append({
                **d,
                "short": d["name"].removesuffix("特别合作区").removesuffix("新区").removesuffix("区"),
                "since": since.get(d["code"] or "", 0),
                # from which founding year USCCs may carry the district's code (never, without a code)
                "code_from": 9999 if d["code"] is None else 0 if since.get(d["code"], 0) <= 2015 else since[d["code"]],
                "streets": [f"深圳市{d['name']}{street}{suffix}" for street in streets],
                "prefix": "深圳市" + d["name"],
            })
        self.district_choice = _Weighted((i, float(d["demo_share"])) for i, d in enumerate(self.districts))
        self.divisions = {
            row["code"]: row
            for row in IndustryDivision.objects.order_by("code").values("code", "name_terms", "size_category")
            if row["name_terms"]
        }
        codes = sorted(self.divisions)
        self.division_choice = {
            "llc": _Weighted((c, DIVISION_WEIGHTS.get(c, 0.5)) for c in codes),
            "jsc": _Weighted((c, DIVISION_WEIGHTS.get(c, 0.5) * JSC_DIVISION_BOOST.get(c, 1)) for c in codes),
            "individual": _Weighted((c, INDIVIDUAL_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "partnership": _Weighted((c, PARTNERSHIP_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "sole": _Weighted((c, SOLE_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "cooperative": _Weighted((c, COOPERATIVE_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
        }
        self.classifier = _Classifier()
        self.category_of = {code: self.classifier.category(code, "") for code in codes}

        self.legal_form_choice = _Weighted(LEGAL_FORM_WEIGHTS)
        self.closed_status_choice = _Weighted(CLOSED_STATUSES)
        self.capital_choice = {form: _Weighted(pairs) for form, pairs in CAPITAL_WAN.items()}
        self.surname_choice = _Weighted(SURNAMES)
        self.trade_chars = "".join(dict.fromkeys(TRADE_NAME_CHARS))
        self.homophones = _homophone_groups(self.trade_chars)

        # Codes: the offsets depend on the seed, so two seeds give different codes.
        self.new_offset = rng.randrange(_NEW_SPACE)
        self.old_offset = rng.randrange(_OLD_SPACE)
        self.regno_offset = rng.randrange(_REGNO_SPACE)
        self.new_count = 0
        self.old_count = 0
        self.regno_count = 0
        self.certificates: dict[int, int] = {}

        # Persons: a counter per (region, birth day, sex) hands out ID sequences without repeats; within a
        # slot the k-th person gets sequence index (k * 211 + slot) mod 495, a bijection (211 is prime to 495).
        self.birth_min = datetime.date(1925, 1, 1).toordinal()
        self.birth_max = REFERENCE_ORD - 18 * 366
        self.person_regions = [c for c in ("440300", "440301", "440303", "440304", "440305", "440306", "440307",
                                           "440308") if c in since]
        self.regions_by_year = {
            year: tuple(i for i, code in enumerate(self.person_regions) if since[code] <= year)
            for year in range(1920, REFERENCE_DATE.year + 1)
        }
        self.birth_days = self.birth_max - self.birth_min + 1
        self.sequence_counts = array("H", bytes(2 * self.birth_days * len(self.person_regions) * 2))

        # Bounded memories for recurrence: recent trade names, persons, head offices.
        self.names = _SeenNames(enterprises + 1000)
        self.recent_trade_names: deque[tuple[str, str]] = deque(maxlen=4096)
        self.recent_persons: deque[tuple[int, int]] = deque(maxlen=20000)
        self.recent_heads: deque[tuple] = deque(maxlen=4096)
        self.person_batch: list[tuple] = []

    # -- streaming ------------------------------------------------------------------------------------

    def batches(self, size: int | None = None) -> Iterator[tuple[list[tuple], list[list]]]:
        """(persons, enterprises) row lists; each batch's persons come before the enterprises that need them."""
        size = size or BATCH_SIZE
        made = 0
        while made < self.total:
            n = min(size, self.total - made)
            firms = [self._enterprise() for _ in range(n)]
            made += n
            self.enterprises_made = made
            persons, self.person_batch = self.person_batch, []
            yield persons, firms

    # -- persons --------------------------------------------------------------------------------------

    def _new_person(self, founded_ord: int) -> tuple[int, int]:
        rnd = self.rng.random
        male = 1 if rnd() < 0.68 else 0
        birth_min, birth_max, counts = self.birth_min, self.birth_max, self.sequence_counts
        while True:
            age = 36.0 + 18.0 * (rnd() + rnd() + rnd() - 1.5)  # mean 36, sd 9, within 9-63
            birth_ord = founded_ord - int((19.0 if age < 19.0 else 62.0 if age > 62.0 else age) * 365.2425
                                          + rnd() * 365)
            birth_ord = birth_max if birth_ord > birth_max else birth_min if birth_ord < birth_min else birth_ord
            day = birth_ord - self.day0
            regions = self.regions_by_year[self.year_of[day]]
            region = regions[int(rnd() * len(regions))]
            slot = ((region * self.birth_days) + (birth_ord - birth_min)) * 2 + male
            k = counts[slot]
            if k < 495:
                counts[slot] = k + 1
                break
        serial = FIRST_GENERATED_SERIAL + 2 * ((k * 211 + slot) % 495) + male
        pid = self.next_person_id
        self.next_person_id = pid + 1
        self.persons_made += 1
        surnames = self.surname_choice
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        name = surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)] + pool[int(rnd() * len(pool))]
        if rnd() < 0.7:
            name += pool[int(rnd() * len(pool))]
        self.person_batch.append((pid, _id_number(self.person_regions[region], self.ymd[day], serial), name))
        self.recent_persons.append((pid, birth_ord))
        return pid, birth_ord

    def _representative(self, founded_ord: int, reuse: float) -> int:
        rnd = self.rng.random
        recent = self.recent_persons
        if recent and rnd() < reuse:
            for _ in range(3):
                pid, birth_ord = recent[int(rnd() * len(recent))]
                if birth_ord <= founded_ord - 7320:  # 20 years
                    return pid
        return self._new_person(founded_ord)[0]

    # -- names ----------------------------------------------------------------------------------------

    def _fresh_trade_name(self, lengths=(2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4)) -> str:
        rnd, chars = self.rng.random, self.trade_chars
        n = lengths[int(rnd() * len(lengths))]
        out = chars[int(rnd() * len(chars))]
        while len(out) < n:
            c = chars[int(rnd() * len(chars))]
            if c != out[-1]:
                out += c
        return out

    def _trade_name(self, division: str) -> str:
        rnd = self.rng.random
        r = rnd()
        recent = self.recent_trade_names
        if recent and r < 0.22:  # the same trade name in another industry
            trade, used_in = recent[int(rnd() * len(recent))]
            if used_in != division:
                return trade
        elif recent and r < 0.26:  # a homophone of a recent trade name
            trade, _ = recent[int(rnd() * len(recent))]
            positions = [i for i, c in enumerate(trade) if c in self.homophones]
            if positions:
                i = positions[int(rnd() * len(positions))]
                others = self.homophones[trade[i]]
                return trade[:i] + others[int(rnd() * len(others))] + trade[i + 1:]
        return self._fresh_trade_name()

    def _company_name(self, form: str, trade: str, term: str, district: dict, founded_year: int) -> str:
        rnd = self.rng.random
        if form == "llc":
            suffix = "有限公司" if rnd() < 0.78 else "有限责任公司"
        elif form == "jsc":
            suffix = "股份有限公司"
        elif form == "partnership":
            suffix = "合伙企业（有限合伙）" if rnd() < 0.7 else "合伙企业（普通合伙）"
        elif form == "sole":
            suffix = SOLE_SUFFIXES[int(rnd() * len(SOLE_SUFFIXES))]
            if rnd() < 0.6:
                suffix += "（个人独资）"
        else:  # cooperative
            suffix = "专业合作社"
        core = trade + term
        if form not in ("llc", "jsc"):
            return "深圳市" + core + suffix
        style = rnd()
        if style < 0.70:
            return "深圳市" + core + suffix
        if style < 0.80:
            return core + "（深圳）" + suffix
        if style < 0.88:
            return core + suffix
        if style < 0.97 and district["since"] <= founded_year:
            return district["prefix"] + core + suffix
        return "深圳" + core + suffix

    def _individual_name(self, division: str, district: dict) -> tuple[str, str]:
        rnd = self.rng.random
        r = rnd()
        surnames = self.surname_choice
        if r < 0.35:
            pool = GIVEN_MALE if rnd() < 0.6 else GIVEN_FEMALE
            trade = "阿" + pool[int(rnd() * len(pool))]
        elif r < 0.50:
            trade = "老" + surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)][0]
        elif r < 0.65:
            trade = surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)] + "记"
        else:
            trade = self._fresh_trade_name((2,))
        terms = INDIVIDUAL_TERMS.get(division) or ("经营部",)
        return trade, district["prefix"] + trade + terms[int(rnd() * len(terms))]

    def _branch_name(self, parent: tuple, district: dict, eid: int) -> str:
        short = district["short"]
        for attempt in range(10):
            if attempt == 0:
                candidate = parent[1] + short + "分公司"
            else:
                candidate = parent[1] + (short if attempt % 2 else "") + "第" + ORDINALS[attempt] + "分公司"
            if self.names.add_if_new(candidate):
                return candidate
        return parent[1] + short + str(eid) + "分公司"  # unique: carries the row's own id

    # -- one register entry ---------------------------------------------------------------------------

    def _enterprise(self) -> list:
        rng = self.rng
        rnd = rng.random
        gauss = rng.gauss
        exp = math.exp
        bisect_right = bisect.bisect_right
        eid = self.next_enterprise_id
        self.next_enterprise_id = eid + 1
        choice = self.legal_form_choice
        form = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
        parent = None
        if form == "branch":
            if self.recent_heads:
                parent = self.recent_heads[int(rnd() * len(self.recent_heads))]
            else:
                form = "llc"
        choice = self.district_choice
        district = self.districts[choice.items[bisect_right(choice.cum, rnd() * choice.total)]]

        # founding and status
        if parent is not None:
            first = parent[3] + 30
            founded_ord = first + int(rnd() * (REFERENCE_ORD - first + 1))
        else:
            spans, cum, total = self.years
            start, end = spans[bisect_right(cum, rnd() * total)]
            founded_ord = start + int(rnd() * (end - start + 1))
        day0 = self.day0
        founded_year = self.year_of[founded_ord - day0]
        age_days = REFERENCE_ORD - founded_ord
        status, changed_ord = "operating", None
        if age_days > 91 and rnd() < min(0.55, 0.03 + 0.023 * age_days / 365.2425):
            choice = self.closed_status_choice
            status = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
            changed_ord = founded_ord + 30 + int(rnd() * (age_days - 30))

        # industry and name
        class_code = ""
        if parent is not None:
            division, class_code, trade = parent[2], parent[5], parent[6]
            name = self._branch_name(parent, district, eid)
        else:
            choice = self.division_choice[form]
            division = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
            if form == "individual":
                for _ in range(20):
                    trade, name = self._individual_name(division, district)
                    if self.names.add_if_new(name):
                        break
            else:
                terms = self.divisions[division]["name_terms"]
                for attempt in range(20):
                    trade = self._trade_name(division) if attempt < 2 else self._fresh_trade_name((3, 3, 4))
                    term = terms[int(rnd() * len(terms))]
                    name = self._company_name(form, trade, term, district, founded_year)
                    if self.names.add_if_new(name):
                        break
                self.recent_trade_names.append((trade, division))
                if division == "70":
                    class_code = "7020" if term == "物业管理" else "7010"
        category = self.classifier.category(division, class_code) if class_code else self.category_of[division]

        # codes
        entity_type = "2" if form == "individual" else "3" if form == "cooperative" else "1"
        if founded_ord < USCC_START_ORD and form != "individual":
            while True:
                body = f"{(self.old_count * _OLD_MULTIPLIER + self.old_offset) % _OLD_SPACE:08d}"
                self.old_count += 1
                if body not in _RESERVED_BODIES:
                    break
        else:
            body = _body_new(self.new_count, self.new_offset)
            self.new_count += 1
        # Registration region: mostly the city's; some firms (most 个体工商户) a district's, if the district's
        # code existed when the firm got its code (at founding, or 2015 for older firms).
        district_code = district["code"]
        if founded_year >= district["code_from"] and rnd() < (0.8 if form == "individual" else 0.15):
            region = district_code
        else:
            region = CITY_REGION
        uscc_parts = entity_type + region + body  # the writer makes the code: make_uscc runs beside generation
        old_number = ""
        if founded_ord < USCC_START_ORD and rnd() < 0.75:
            serial = (self.regno_count * _REGNO_MULTIPLIER + self.regno_offset) % _REGNO_SPACE
            self.regno_count += 1
            office = "01" if district_code is None or rnd() < 0.7 else district_code[4:]
            stem = f"4403{office}{serial:08d}"
            old_number = stem + mod_11_10.calc_check_digit(stem)

        # people
        if parent is not None and rnd() < 0.5:
            representative = parent[4]
        else:
            representative = self._representative(founded_ord, 0.12 if form == "individual" else 0.22)

        # address
        streets = district["streets"]
        address = f"{streets[int(rnd() * len(streets))]}{ROADS[int(rnd() * len(ROADS))]}{1 + int(rnd() * 399)}号"
        if form != "individual" and rnd() < 0.6:
            address += f"{BUILDINGS[int(rnd() * len(BUILDINGS))]}{1 + int(rnd() * 30)}层{1 + int(rnd() * 40):02d}室"

        # figures of the last financial year reported
        capital = None
        if form != "branch" and (form != "individual" or rnd() < 0.5):
            choice = self.capital_choice[form]
            capital = choice.items[bisect_right(choice.cum, rnd() * choice.total)] * FEN_PER_WAN
        employees = revenue = assets = rd = financial_year = None
        last_year = (self.year_of[changed_ord - day0] - 1) if changed_ord else REFERENCE_DATE.year - 1
        if parent is None and last_year >= founded_year and rnd() < 0.95:
            financial_year = last_year
            mu, sigma, tail_p, tail_min = EMPLOYEES[form]
            if tail_p and rnd() < tail_p:
                employees = min(200_000, int(tail_min * rng.paretovariate(1.2)))
            else:
                employees = int(exp(mu + sigma * gauss()))
                if form == "individual" and employees < 1:
                    employees = 1
            if rnd() < 0.2:
                revenue = 0
            else:
                per_head = REVENUE_PER_EMPLOYEE_WAN.get(category, 30)
                revenue = int((employees or 1) * per_head * exp(-0.4 + 0.9 * gauss()) * 100) * 10_000
            ratio = exp((1.2 if category == "real_estate_development" else -0.3) + 0.8 * gauss())
            floor = (capital or 0) * (0.2 + 0.6 * rnd())
            assets = int(max(revenue * ratio, floor, 1_000_000) / 100) * 100
            if revenue and division in TECH_DIVISIONS and rnd() < 0.7:
                rd = int(revenue * (0.02 + 0.13 * rnd()) / 100) * 100
        size_class = self.classifier(category, employees, revenue, assets)

        # certificates and flags
        certificate, valid_from, valid_to = "", None, None
        is_tech_sme = is_listed = False
        if employees is not None and division in TECH_DIVISIONS and (form == "llc" or form == "jsc"):
            first = max(2008, founded_year + 1)  # certificates from the year after founding, before closing
            last = financial_year  # the last year reported: 2025, or the year before the firm closed
            if employees >= 10 and first <= last and rnd() < 0.3:
                if status == "operating" and rnd() < 0.85:
                    year = max(2023 + int(rnd() * 3), first)  # still valid on the reference date
                else:
                    year = first + int(rnd() * (last - first + 1))
                n = self.certificates.get(year, 0) + 1
                self.certificates[year] = n
                certificate = f"GR{year}44{n:06d}"
                start = datetime.date(year, 10 + int(rnd() * 3), 1 + int(rnd() * 28))
                valid_from = start.isoformat()
                valid_to = (start.replace(year=year + 3) - datetime.timedelta(days=1)).isoformat()
            if status == "operating" and employees <= 500 and size_class in ("micro", "small", "medium"):
                is_tech_sme = rnd() < 0.1
        if form == "jsc" and (size_class == "large" or size_class == "medium"):
            is_listed = rnd() < (0.25 if size_class == "large" else 0.02)

        if status == "operating" and (form == "llc" or form == "jsc") and age_days > 60:
            self.recent_heads.append((eid, name, division, founded_ord, representative, class_code, trade))

        iso = self.iso
        return [
            eid, uscc_parts, old_number, name, trade, form, self.authority_id, district["id"], address, division,
            class_code, iso[founded_ord - day0], status, iso[changed_ord - day0] if changed_ord else None,
            representative, parent[0] if parent is not None else None, capital, employees, revenue, assets, rd,
            financial_year, certificate, valid_from, valid_to, is_tech_sme, is_listed, size_class, self.updated_at,
        ]


# The attribute names of Enterprise in the order of the tuples above.
ENTERPRISE_FIELDS = (
    "id", "uscc", "old_registration_number", "name", "trade_name", "legal_form", "registration_authority_id",
    "district_id", "address", "industry_id", "industry_class_code", "founded_on", "status", "status_changed_on",
    "legal_representative_id", "parent_id", "registered_capital_fen", "employees", "revenue_fen",
    "total_assets_fen", "rd_expense_fen", "financial_year", "high_tech_certificate", "high_tech_valid_from",
    "high_tech_valid_to", "is_tech_sme", "is_listed", "size_class", "updated_at",
)
PERSON_FIELDS = ("id", "id_number", "name")


def _columns(model, fields: tuple[str, ...]) -> tuple[list[str], tuple]:
    """Column names for `fields`, plus constant values for any other concrete field of the model.

    A field added to the model later is filled with its default, so the loader keeps working.
    """
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = [name for name in fields if name not in by_attname]
    if missing:
        raise RuntimeError(f"{model.__name__} has no field(s) {missing}; update registry/demo_city.py.")
    columns = [by_attname[name].column for name in fields]
    extra_values = []
    for attname, field in by_attname.items():
        if attname in fields:
            continue
        if not field.has_default() and not field.null:
            raise RuntimeError(f"{model.__name__}.{attname} has no default; update registry/demo_city.py.")
        columns.append(field.column)
        extra_values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, tuple(extra_values)


# ---------------------------------------------------------------------------------------------------------
# Writing

def _finish(firms: list[list]) -> None:
    """Turn each row's USCC parts (entity type, region, organisation-code body: 15 characters) into the
    18-character code."""
    for row in firms:
        parts = row[1]
        row[1] = make_uscc("9", parts[0], parts[1:7], parts[7:])


class _SqliteWriter:
    def __init__(self):
        self.raw = connection.connection  # the sqlite3 connection, inside Django's transaction
        p_columns, self.p_extra = _columns(NaturalPerson, PERSON_FIELDS)
        e_columns, self.e_extra = _columns(Enterprise, ENTERPRISE_FIELDS)
        self.person_sql = self._insert(NaturalPerson._meta.db_table, p_columns)
        self.enterprise_sql = self._insert(Enterprise._meta.db_table, e_columns)

    @staticmethod
    def _insert(table: str, columns: list[str]) -> str:
        quote = connection.ops.quote_name
        return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})")

    def write(self, persons: list[tuple], firms: list[list]) -> None:
        _finish(firms)
        if self.p_extra:
            persons = [(*row, *self.p_extra) for row in persons]
        if self.e_extra:
            firms = [(*row, *self.e_extra) for row in firms]
        if persons:
            self.raw.executemany(self.person_sql, persons)
        if firms:
            self.raw.executemany(self.enterprise_sql, firms)

    def finish(self) -> None:
        pass  # AUTOINCREMENT keeps sqlite_sequence at the largest id inserted


class _PostgresWriter:
    def __init__(self):
        self.raw = connection.connection  # the psycopg 3 connection, inside Django's transaction
        quote = connection.ops.quote_name
        p_columns, self.p_extra = _columns(NaturalPerson, PERSON_FIELDS)
        e_columns, self.e_extra = _columns(Enterprise, ENTERPRISE_FIELDS)
        self.person_sql = (f"COPY {quote(NaturalPerson._meta.db_table)} "
                           f"({', '.join(quote(c) for c in p_columns)}) FROM STDIN")
        self.enterprise_sql = (f"COPY {quote(Enterprise._meta.db_table)} "
                               f"({', '.join(quote(c) for c in e_columns)}) FROM STDIN")

    def write(self, persons: list[tuple], firms: list[list]) -> None:
        _finish(firms)
        with self.raw.cursor() as cursor:
            for sql, rows, extra in ((self.person_sql, persons, self.p_extra),
                                     (self.enterprise_sql, firms, self.e_extra)):
                if not rows:
                    continue
                with cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row((*row, *extra) if extra else row)

    def finish(self) -> None:
        """Move the id sequences past the explicit ids."""
        with connection.cursor() as cursor:
            for model in (NaturalPerson, Enterprise):
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {connection.ops.quote_name(table)}",
                    [table],
                )


class _SecondaryIndexes:
    """The loaded tables' indexes that back no constraint, and on PostgreSQL Enterprise's foreign keys:
    dropped before the load and re-created after it, inside the load's transaction (DDL is transactional
    on both databases, so a failed load leaves them as they were).

    Measured on PostgreSQL: building a B-tree index after the load costs a third to a half of keeping it
    up row by row; checking the deferred foreign keys at commit costs several times re-adding them (one
    join each); filling the trigram GIN index on names during the load (large pending list) costs ~35 %
    more CPU than building it after (~70 s at 2.4 M names), and on two cores came out no faster.
    """

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.tables = [NaturalPerson._meta.db_table, Enterprise._meta.db_table]
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str, str]] = []
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND tbl_name IN (%s, %s) ORDER BY name", self.tables,
                )
                self.indexes = list(cursor.fetchall())
            else:
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid IN (%s::regclass, %s::regclass) "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
                    "AND k.conrelid = i.indrelid) ORDER BY c.relname",
                    self.tables,
                )
                self.indexes = list(cursor.fetchall())
                cursor.execute(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
                    [Enterprise._meta.db_table],
                )
                self.foreign_keys = list(cursor.fetchall())

    @property
    def count(self) -> int:
        return len(self.indexes) + len(self.foreign_keys)

    def drop(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.foreign_keys:
                # Deferred foreign-key checks queued earlier in this transaction must fire before ALTER TABLE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, _ in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")

    def rebuild(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, sql in self.indexes:
                cursor.execute(sql)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def _sqlite_fast_pragmas() -> dict[str, Any]:
    with connection.cursor() as cursor:
        saved = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "cache_size")}
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache while loading
    return saved


def _sqlite_restore_pragmas(saved: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        for name, value in saved.items():
            cursor.execute(f"PRAGMA {name} = {int(value)}")
