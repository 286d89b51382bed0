"""Import a policy document from plain text: header fields, preamble, sections, numbered measures and their
paragraphs, each paragraph's responsible units (责任单位), attachments and the signature.

`parse_policy_text` is pure (no database); `resolve_units` maps unit names to department records.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

HEADER_KEYS = {
    "索引号": "index_number",
    "信息分类": "category",
    "发布机构": "issuer",
    "发布日期": "published_on",
    "信息名称": "title",
    "文号": "number",
    "关键词": "keywords",
}

MEASURE_RE = re.compile(r"^（([一二三四五六七八九十百零〇]+)）\s*(.+?)[。.]?$")
ARTICLE_RE = re.compile(r"^(第([一二三四五六七八九十百零〇]+)条)\s*(.*)$")
SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+?)[。.]?$")
DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
UNITS_MARK = "（责任单位"
UNIT_SEPARATORS = "、，,；;"


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十 → 10, 十八 → 18, 二十 → 20, 三十四 → 34, 一百零五 → 105."""
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


@dataclass
class ParsedPart:
    kind: str  # preamble | section | measure | paragraph | attachment
    text: str = ""
    number: str = ""
    seq: int | None = None
    title: str = ""
    units_text: str = ""
    unit_names: list[str] = field(default_factory=list)
    children: list[ParsedPart] = field(default_factory=list)


@dataclass
class ParsedDocument:
    meta: dict
    parts: list[ParsedPart]
    body: str

    @property
    def measures(self) -> list[ParsedPart]:
        found = []
        for part in self.parts:
            if part.kind == "measure":
                found.append(part)
            found.extend(child for child in part.children if child.kind == "measure")
        return found


def split_units(units_text: str) -> list[str]:
    """Split a 责任单位 list on 、，； — but not inside brackets (市中小企业服务署（上市办）)."""
    names, current, depth = [], "", 0
    for ch in units_text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in UNIT_SEPARATORS and depth == 0:
            if current.strip():
                names.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        names.append(current.strip())
    return names


def take_units(paragraph: str) -> tuple[str, str]:
    """('text without the unit list', 'units as written') for a paragraph ending in （责任单位：…）."""
    index = paragraph.rfind(UNITS_MARK)
    if index < 0:
        return paragraph, ""
    tail = paragraph[index:].rstrip().rstrip("。.").rstrip()
    if not tail.endswith(("）", ")")):
        return paragraph, ""
    inner = tail[len(UNITS_MARK):-1].lstrip("：:").strip()
    return paragraph[:index].rstrip(), inner


def _parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    match = DATE_RE.match(value)
    if match:
        return datetime.date(*map(int, match.groups()))
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _clean(line: str) -> str:
    return line.replace("\u3000", " ").strip()


def parse_policy_text(text: str) -> ParsedDocument:
    lines = [_clean(line) for line in text.replace("\r\n", "\n").split("\n")]
    meta: dict = {}
    index = 0
    # Header: an optional source URL, then "key: value" lines.
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        if line.startswith(("http://", "https://")) and "source_url" not in meta:
            meta["source_url"] = line
            index += 1
            continue
        key, sep, value = re.split(r"([:：])", line, maxsplit=1) if re.search(r"[:：]", line) else (line, "", "")
        norm = re.sub(r"\s+", "", key)
        if sep and norm in HEADER_KEYS:
            meta[HEADER_KEYS[norm]] = value.strip()
            index += 1
            continue
        break
    if "published_on" in meta:
        meta["published_on"] = _parse_date(meta["published_on"])
    body_lines = [line for line in lines[index:] if line]
    body = "\n".join(body_lines)

    parts: list[ParsedPart] = []
    section: ParsedPart | None = None
    measure: ParsedPart | None = None

    # The signature: the last lines, "issuer" then a date.
    if len(body_lines) >= 2 and DATE_RE.match(body_lines[-1]):
        meta["signed_on"] = _parse_date(body_lines[-1])
        meta.setdefault("issuer", body_lines[-2])
        meta["signer"] = body_lines[-2]
        body_lines = body_lines[:-2]

    def container() -> list[ParsedPart]:
        if measure is not None:
            return measure.children
        if section is not None:
            return section.children
        return parts

    for line in body_lines:
        match = MEASURE_RE.match(line)
        if match and len(line) <= 60:
            measure = ParsedPart(kind="measure", number=f"（{match.group(1)}）", seq=cn_to_int(match.group(1)),
                                 title=match.group(2).strip(), text=line)
            (section.children if section is not None else parts).append(measure)
            continue
        match = ARTICLE_RE.match(line)
        if match:
            measure = ParsedPart(kind="measure", number=match.group(1), seq=cn_to_int(match.group(2)), text=line)
            (section.children if section is not None else parts).append(measure)
            rest = match.group(3).strip()
            if rest:
                paragraph_text, units_text = take_units(rest)
                measure.children.append(ParsedPart(kind="paragraph", text=paragraph_text, units_text=units_text,
                                                   unit_names=split_units(units_text)))
            continue
        match = SECTION_RE.match(line)
        if match and len(line) <= 40:
            section = ParsedPart(kind="section", number=f"{match.group(1)}、", seq=cn_to_int(match.group(1)),
                                 title=match.group(2).strip(), text=line)
            parts.append(section)
            measure = None
            continue
        if line.startswith("附件"):
            parts.append(ParsedPart(kind="attachment", text=line))
            continue
        if measure is None and section is None:
            parts.append(ParsedPart(kind="preamble", text=line))
            continue
        paragraph_text, units_text = take_units(line)
        container().append(ParsedPart(kind="paragraph", text=paragraph_text, units_text=units_text,
                                      unit_names=split_units(units_text)))
    return ParsedDocument(meta=meta, parts=parts, body=body)


class UnitResolver:
    """Maps unit names as the policy text writes them to department records (core Organisation rows).

    Collective names (各区政府, 各新区管委会, 市政府各部门) expand as core/data/departments.json says.
    """

    def __init__(self):
        from shuangchuang.core.reference import read_departments
        from shuangchuang.core.selectors import departments

        self.by_name: dict[str, object] = {}
        orgs = list(departments())
        by_code = {org.code: org for org in orgs}
        for org in orgs:
            for name in (org.name, org.short_name, *org.aliases):
                if name:
                    self.by_name.setdefault(name, org)
        data = read_departments()
        groups: dict[str, list] = {}
        for row in data["departments"]:
            if row.get("group") and row["code"] in by_code:
                groups.setdefault(row["group"], []).append(by_code[row["code"]])
        self.collective: dict[str, list] = {}
        for name, target in data.get("collective_names", {}).items():
            if target == "all":
                self.collective[name] = orgs
            elif target.startswith("group:"):
                self.collective[name] = groups.get(target.split(":", 1)[1], [])

    def resolve(self, name: str) -> list:
        name = name.strip().rstrip("。")
        if name in self.collective:
            return list(self.collective[name])
        candidates = [name]
        if name.startswith("深圳市"):
            candidates += [name[3:], "市" + name[3:]]
        if name.startswith("市") and not name.startswith("市委"):
            candidates.append(name[1:])
        else:
            candidates.append("市" + name)
        candidates.append("深圳市" + name.lstrip("市"))
        for candidate in candidates:
            if candidate in self.by_name:
                return [self.by_name[candidate]]
        return []
