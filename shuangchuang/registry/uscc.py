"""Unified social credit code (统一社会信用代码, GB 32100-2015): full validation and parts.

python-stdnum computes the position-18 check character; the rest is here because stdnum rejects valid
codes that begin with a letter (Y, A, N) and does not apply the GB 11714 check on positions 9-17
(POLICY-FACTS §2.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop
from stdnum import numdb
from stdnum.cn import uscc as stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: digits and capitals without I, O, Z, S, V
FORBIDDEN_LETTERS = set("IOZSV")
GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
NATIONAL_REGION = "100000"  # central registration authorities

# Positions 1-2 (GB 32100 annex, POLICY-FACTS §2.2).
DEPARTMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常住新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地(大陆)代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级", "2": "村级", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}


@dataclass(frozen=True)
class UsccResult:
    code: str
    valid: bool
    reason: str | None
    parts: dict[str, str | None] = field(default_factory=dict)


def compact(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()


def gb11714_check_char(body8: str) -> str:
    """Check character of an organisation code (GB 11714) from its first 8 characters."""
    total = sum(_gb11714_value(c) * w for c, w in zip(body8, GB11714_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _gb11714_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def check_char(first17: str) -> str:
    return stdnum_uscc.calc_check_digit(first17)


def make_uscc(department: str, entity_type: str, region: str, body8: str) -> str:
    """Build a valid code from its parts (used by the synthetic city and tests)."""
    first17 = department + entity_type + region + body8 + gb11714_check_char(body8)
    return first17 + check_char(first17)


def region_name(region: str) -> str | None:
    if region == NATIONAL_REGION:
        return "全国"
    info = numdb.get("cn/loc").info(region)
    if len(info) < 2 or not info[1][1].get("county"):
        return None
    county = info[1][1]["county"]
    # loc.dat writes history as "[1983-1989]南头区办事处,[1990-]南山区": keep the current name.
    return county.split(",")[-1].split("]")[-1]


def parse_uscc(code: str) -> UsccResult:
    """Validate completely; reason is a machine code (None when valid); parts names what could be read."""
    raw = code or ""
    code = compact(raw)
    parts: dict[str, str | None] = {}
    if not code:
        return UsccResult(code, False, "empty", parts)
    if len(code) != 18:
        return UsccResult(code, False, "wrong_length", parts)
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        reason = "forbidden_letter" if any(c in FORBIDDEN_LETTERS for c in bad) else "invalid_character"
        return UsccResult(code, False, reason, parts)
    department = DEPARTMENTS.get(code[0])
    parts["department_code"] = code[0]
    parts["entity_type_code"] = code[1]
    parts["region_code"] = code[2:8]
    parts["organisation_code"] = code[8:17]
    parts["check_character"] = code[17]
    if department is None:
        return UsccResult(code, False, "unknown_department", parts)
    parts["department"] = department[0]
    entity_type = department[1].get(code[1])
    if entity_type is None:
        return UsccResult(code, False, "unknown_entity_type", parts)
    parts["entity_type"] = entity_type
    if not code[2:8].isdigit():
        return UsccResult(code, False, "invalid_region", parts)
    region = region_name(code[2:8])
    if region is None:
        return UsccResult(code, False, "unknown_region", parts)
    parts["region"] = region
    if gb11714_check_char(code[8:16]) != code[16]:
        return UsccResult(code, False, "organisation_code_check", parts)
    if check_char(code[:17]) != code[17]:
        return UsccResult(code, False, "check_character", parts)
    return UsccResult(code, True, None, parts)


REASON_MESSAGES = {
    "empty": gettext_noop("Enter a code."),
    "wrong_length": gettext_noop("A unified social credit code has 18 characters."),
    "forbidden_letter": gettext_noop("The letters I, O, Z, S and V never appear in a unified social credit code."),
    "invalid_character": gettext_noop("Only digits and capital letters may appear in a unified social credit code."),
    "unknown_department": gettext_noop("The first character is not a registering department code."),
    "unknown_entity_type": gettext_noop("The second character is not an entity type of that department."),
    "invalid_region": gettext_noop("Characters 3 to 8 must be a six-digit region code."),
    "unknown_region": gettext_noop("Characters 3 to 8 are not a known GB/T 2260 region code."),
    "organisation_code_check": gettext_noop("The organisation code (characters 9 to 17) fails its GB 11714 check."),
    "check_character": gettext_noop("The check character (character 18) is wrong."),
}
