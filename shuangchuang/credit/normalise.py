"""Normalisation of Chinese enterprise and person names for matching.

An enterprise name (企业名称) is written 行政区划 + 字号 + 行业 + 组织形式, and real-world copies of it vary:
full-width and half-width characters, brackets （）() 【】, spaces, traditional characters, the region moved
into brackets (X科技（深圳）有限公司) or dropped, and the organisation form written as 有限公司 / 有限责任公司 /
股份有限公司. `parse_name` takes all of that away and keeps what identifies the firm:

- ``core``: the name without region and organisation form ("鹏城创芯科技"),
- ``form``: the organisation-form family ("有限公司" for the three forms above) and ``raw_form`` as written,
- ``regions``: GB/T 2260 codes (2, 4 or 6 digits) of the region words found, for comparing regions,
- keys for index look-ups (``name_key``, ``pinyin_key``, ``near_keys``) and a ``strict_key`` that keeps the region.

Region names come from python-stdnum's GB/T 2260 table (cn/loc.dat, POLICY-FACTS §2.2): province and prefecture
names in full and short form (广东省 / 广东, 深圳市 / 深圳), county-level names in full form only (南山区),
because short county names (南山, 永康) are too often trade names.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import opencc
import stdnum
from pypinyin import Style, lazy_pinyin

KEY_MAX = 200
NEAR_MIN_TRADE = 4
# Industry wording that ends a name core, besides the GB/T 4754 name terms of the registry's reference data.
GENERIC_TERMS = ("科技", "技术", "信息技术", "网络科技", "电子科技", "智能科技", "生物科技", "电子", "贸易", "商贸",
                 "国际贸易", "实业", "投资", "投资管理", "咨询", "管理咨询", "企业管理", "发展", "服务", "工程",
                 "建设", "设计", "文化", "传媒", "物流", "供应链", "进出口", "控股", "集团", "商行", "百货",
                 # shops and services of individual businesses (个体工商户): 阿明 + 理发 + 店
                 "副食", "理发", "美容", "美发", "水果", "快餐", "小吃", "餐饮", "餐厅", "面馆", "饭店", "粥",
                 "茶餐", "奶茶", "烧腊", "烟酒", "便利", "士多", "五金", "服装", "文具", "维修", "手机维修",
                 "电器维修", "汽车维修", "电脑维修", "修理", "广告", "文印", "洗衣", "家政服务", "清洁服务", "摄影",
                 "旅馆", "公寓", "诊所", "培训", "运输", "货运", "批发", "电脑经营", "服务",
                 # partnership funds: 铂晋 + 基金管理 + 合伙企业 (有限合伙)
                 "合伙企业", "个人独资")
FORM_FAMILY = "有限公司"
# Organisation forms, longest first; the first four are one family (POLICY-FACTS §2.3, the issue).
FAMILY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")
OTHER_FORMS = (
    "个人独资企业", "专业合作社", "普通合伙", "有限合伙", "合伙企业", "分公司", "合作社", "经营部", "工作室",
    "事务所", "研究院", "商行", "中心", "厂", "店", "部",
)
_FORMS = sorted(FAMILY_FORMS + OTHER_FORMS, key=len, reverse=True)

_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")",
                           "〈": "(", "〉": ")", "《": "(", "》": ")", "﹙": "(", "﹚": ")"})
_DROP = re.compile(r"[\s·•・.,，、'\"“”‘’`\-—–_/\\&+;:；：!！?？。「」『』*#@~^|]+")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_CJK = re.compile(r"[\u3400-\u9fff]")

# Areas of Shenzhen that appear in names and are not in GB/T 2260 (new areas of 2009-2011).
# Areas of Shenzhen that appear in names without a GB/T 2260 code of their own: the new areas that became
# districts take the district's code; 大鹏新区 and 深汕特别合作区 get a key under 4403 so that they are in Shenzhen
# but not in any district.
_EXTRA_REGIONS = {"大鹏新区": {"4403DP"}, "深汕特别合作区": {"4403SS"}, "光明新区": {"440311"}, "坪山新区": {"440310"},
                  "龙华新区": {"440309"}}
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")

_GENERIC_AREAS = {"市区", "城区", "郊区", "矿区", "市中区", "市辖区", "县", "省直辖县级行政区划", "省直辖县级行政单位",
                  "自治区直辖县级行政区划"}
_local = threading.local()
_SHORT_FORMS: set[str] = set()  # 广东, 深圳: filled by region_table()


def _t2s(text: str) -> str:
    converter = getattr(_local, "t2s", None)
    if converter is None:
        converter = _local.t2s = opencc.OpenCC("t2s")
    return converter.convert(text)


@lru_cache(maxsize=1)
def region_table() -> dict[str, frozenset[str]]:
    """Region word → GB/T 2260 code prefixes it may stand for (names repeat across provinces: 南山区)."""
    table: dict[str, set[str]] = {}

    def add(name: str, code: str, short: bool = False) -> None:
        if len(name) >= 2 and name not in _GENERIC_AREAS:
            table.setdefault(name, set()).add(code)
            if short:
                _SHORT_FORMS.add(name)

    path = Path(stdnum.__file__).resolve().parent / "cn" / "loc.dat"
    province = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.match(r'^(\s*)(\d+)\s+(\w+)="(.*)"', line)
        if not match:
            continue
        indent, code, kind, value = match.groups()
        names = [_t2s(part.split("]")[-1]) for part in value.split(",")]
        if not indent and kind == "province":
            province = code
            for name in names:
                add(name, province)
                short = name
                for suffix in _PROVINCE_SUFFIXES:
                    if short.endswith(suffix):
                        short = short[: -len(suffix)]
                        break
                add(short, province, short=True)
            continue
        full = province + code
        if code.endswith("00"):  # prefecture level (深圳市 0300 → 4403)
            prefix = full[:4]
            for name in names:
                if name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
                    continue
                add(name, prefix)
                for suffix in ("市", "地区"):
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        add(name[: -len(suffix)], prefix, short=True)
        else:  # county level: full names only
            for name in names:
                if name not in {"市辖区", "郊区", "矿区"}:
                    add(name, full)
    for name, codes in _EXTRA_REGIONS.items():
        table.setdefault(name, set()).update(codes)
    return {name: frozenset(codes) for name, codes in table.items()}


@lru_cache(maxsize=1)
def _regions_by_first_char() -> dict[str, tuple[str, ...]]:
    """Region words by their first character, longest first (深圳市 before 深圳)."""
    index: dict[str, list[str]] = {}
    for name in region_table():
        index.setdefault(name[0], []).append(name)
    return {c: tuple(sorted(names, key=len, reverse=True)) for c, names in index.items()}


def regions_compatible(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """True when some code of a contains or is contained in some code of b (广东 44 and 深圳 4403 agree)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _narrow(current: set[str], codes: frozenset[str]) -> set[str]:
    """Combine the codes of successive region words: 深圳市 (4403) then 南山区 (440305, 230404) → {440305}."""
    if not current:
        return set(codes)
    pairs = {max(x, c, key=len) for x in current for c in codes if x.startswith(c) or c.startswith(x)}
    return pairs or current


def _narrows(current: set[str], codes: frozenset[str]) -> bool:
    """Whether a region word lies inside (or around) the regions taken so far."""
    return any(x.startswith(c) or c.startswith(x) for x in current for c in codes)


def clean(text: str) -> str:
    """Width, case, traditional characters, brackets, spaces and punctuation folded; brackets kept as ( )."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _t2s(text).translate(_BRACKETS).upper()
    return _DROP.sub("", text)


@dataclass(frozen=True)
class ParsedName:
    original: str
    cleaned: str
    core: str
    form: str
    raw_form: str
    regions: frozenset[str] = field(default_factory=frozenset)
    region_words: tuple[str, ...] = ()
    region_position: str = ""  # "prefix", "bracket" or ""

    @cached_property
    def name_key(self) -> str:
        return f"{self.core}|{self.form}"[:KEY_MAX]

    @cached_property
    def strict_key(self) -> str:
        return f"{self.name_key}@{','.join(sorted(self.regions))}"[:KEY_MAX]

    @cached_property
    def pinyin_key(self) -> str:
        if len(_CJK.findall(self.core)) < 2:
            return ""
        return f"{pinyin(self.core)}|{self.form}"[:KEY_MAX]

    @cached_property
    def trade(self) -> str:
        return split_trade(self.core)[0]

    @cached_property
    def industry(self) -> str:
        return split_trade(self.core)[1]

    @cached_property
    def near_keys(self) -> set[str]:
        """The core and the core with one character of the trade name deleted (a symmetric-deletion
        neighbourhood), so names whose trade names are one character apart share a key and meet in one index
        look-up. Only for trade names of four characters or more: shorter ones one character apart are simply
        other names."""
        trade, industry = split_trade(self.core)
        if not NEAR_MIN_TRADE <= len(trade) <= 30:
            return set()
        return {self.core} | {trade[:i] + trade[i + 1:] + industry for i in range(len(trade))}


def parse_name(name: str) -> ParsedName:
    cleaned = clean(name)
    text = cleaned
    table = region_table()
    regions: set[str] = set()
    words: list[str] = []
    position = ""

    # Regions in brackets anywhere: X科技(深圳)有限公司
    def bracket(match: re.Match) -> str:
        nonlocal regions, position
        inner = match.group(1)
        if inner in table:
            regions = _narrow(regions, table[inner])
            words.append(inner)
            position = position or "bracket"
            return ""
        return inner

    text = _BRACKETED.sub(bracket, text)
    text = text.replace("(", "").replace(")", "")
    # Regions at the start, up to three levels: 广东省深圳市南山区X
    by_first = _regions_by_first_char()
    for _ in range(3):
        for head in by_first.get(text[:1], ()):
            if text.startswith(head):
                codes = table[head]
                rest = text[len(head):]
                if not _core_left(rest, 3 if head in _SHORT_FORMS else 2):
                    continue
                if regions and not _narrows(regions, codes):
                    continue  # 深圳市阿里巴巴…: 阿里 (Tibet) is not inside 深圳市, so it is part of the trade name
                regions = _narrow(regions, codes)
                words.append(head)
                position = "prefix" if position in ("", "prefix") else position
                text = rest
                break
        else:
            break
    raw_form = ""
    for form in _FORMS:
        if text.endswith(form) and len(text) > len(form):
            raw_form = form
            text = text[: -len(form)]
            break
    family = FORM_FAMILY if raw_form in FAMILY_FORMS else raw_form
    # 股份有限公司 / 有限责任公司 written inside a branch name fold too: X有限责任公司南山分公司
    for form in FAMILY_FORMS[:2]:
        text = text.replace(form, FORM_FAMILY)
    return ParsedName(
        original=name, cleaned=cleaned, core=text, form=family, raw_form=raw_form,
        regions=frozenset(regions), region_words=tuple(words), region_position=position,
    )


def _core_left(rest: str, minimum: int) -> bool:
    """After taking a region word, enough must remain before the organisation form to be a trade name and an
    industry: two characters after a full region name (深圳市), three after a short one (深圳), so that in
    中山大学 or 北京科技有限公司 the region word stays part of the name."""
    for form in _FORMS:
        if rest.endswith(form):
            return len(rest) - len(form) >= minimum
    return len(rest) >= minimum


@lru_cache(maxsize=1)
def _terms_by_last_char() -> dict[str, tuple[str, ...]]:
    from shuangchuang.registry.reference import read

    terms = set(GENERIC_TERMS)
    for division in read("industries.json")["divisions"]:
        terms.update(division.get("name_terms") or [])
    index: dict[str, list[str]] = {}
    for term in terms:
        term = clean(term)
        if term:
            index.setdefault(term[-1], []).append(term)
    return {c: tuple(sorted(ts, key=len, reverse=True)) for c, ts in index.items()}


@lru_cache(maxsize=200_000)
def split_trade(core: str) -> tuple[str, str]:
    """The trade name (字号) and the industry wording of a name core: 鹏城创芯科技 → (鹏城创芯, 科技); up to two
    terms, as in 铂晋基金管理合伙企业 → (铂晋, 基金管理合伙企业). Without a known industry term at the end the
    whole core counts as the trade name."""
    trade, industry = core, ""
    for _ in range(2):
        for term in _terms_by_last_char().get(trade[-1:], ()):
            if trade.endswith(term) and len(trade) > len(term):
                trade, industry = trade[: -len(term)], term + industry
                break
        else:
            break
    return trade, industry


def person_name(name: str) -> str:
    return clean(name).replace("(", "").replace(")", "")[:KEY_MAX]


@lru_cache(maxsize=20000)
def _char_pinyin(char: str) -> str:
    if not _CJK.match(char):
        return char.lower()
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def pinyin(text: str) -> str:
    """Toneless pinyin, character by character (the same reading for a character every time, so homophones of
    the same characters always agree)."""
    return "".join(_char_pinyin(c) for c in text)


def uscc_compact(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).replace("-", "").upper()


def org_code_of(uscc: str) -> str:
    """The organisation code (GB 11714) inside a USCC: characters 9-17."""
    return uscc[8:17] if len(uscc) == 18 else ""


def compact_code(value: str) -> str:
    """Organisation codes are written XXXXXXXX-X; old registration numbers are 15 digits."""
    return uscc_compact(value)
