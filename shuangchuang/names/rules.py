"""The rule data of name checks, loaded once: forbidden content, organisation forms per legal form, synonymous
industry wordings and the GB/T 4754 wording of each industry division (registry/data/industries.json).

Name parsing itself is the credit module's (shuangchuang.credit.normalise): regions, trade name / industry split,
organisation-form families and pinyin keys are computed the same way for screening and for names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shuangchuang.credit.normalise import GENERIC_TERMS, clean, pinyin, region_table
from shuangchuang.registry.reference import read as read_registry

DATA_DIR = Path(__file__).resolve().parent / "data"

# Citations of the name rules (POLICY-FACTS §2.3), shown with every issue.
ART = "企业名称登记管理规定 (2020) Art %s"
RULE_CHARACTERS = "企业名称登记管理规定 (2020)：使用规范汉字，不用外文字母、汉语拼音、数字"
RULE_STRUCTURE = ART % "6"
RULE_REGION = ART % "7"
RULE_TRADE = ART % "8"
RULE_INDUSTRY = ART % "9"
RULE_FORM = ART % "10"
RULE_BRANCH = ART % "13"
RULE_IDENTICAL = ART % "17" + "; 企业名称相同相近比对规则 (2017) 相同 %s"
RULE_SIMILAR = "企业名称相同相近比对规则 (工商企注字〔2017〕133号) 相近 %s"


def read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ForbiddenCategory:
    code: str
    rule: str
    position: str  # start | trade_name | anywhere
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def forbidden_categories() -> tuple[ForbiddenCategory, ...]:
    return tuple(ForbiddenCategory(code=row["code"], rule=row["rule"], position=row["position"],
                                   words=tuple(clean(w) for w in row["words"]))
                 for row in read("forbidden.json")["categories"])


@lru_cache(maxsize=1)
def forms_by_legal_form() -> dict[str, tuple[str, ...]]:
    return {key: tuple(value) for key, value in read("forms.json")["forms"].items()}


@lru_cache(maxsize=1)
def _industry_data() -> tuple[dict[str, frozenset[str]], frozenset[str], dict[str, frozenset[str]]]:
    """(wording → division codes, every industry term, division code → its wordings)."""
    by_term: dict[str, set[str]] = {}
    by_division: dict[str, set[str]] = {}
    names: set[str] = set()
    for division in read_registry("industries.json")["divisions"]:
        names.add(clean(division["name"]))
        for term in division.get("name_terms") or []:
            term = clean(term)
            by_term.setdefault(term, set()).add(division["code"])
            by_division.setdefault(division["code"], set()).add(term)
    terms = frozenset(by_term) | frozenset(clean(t) for t in GENERIC_TERMS) | frozenset(names)
    return ({k: frozenset(v) for k, v in by_term.items()}, terms, {k: frozenset(v) for k, v in by_division.items()})


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(clean(t) for t in GENERIC_TERMS)


def is_generic_wording(wording: str) -> bool:
    """Wording used across industries (the credit parser's GENERIC_TERMS: 科技, 信息技术, 贸易, 实业, 发展 …),
    alone or as the last term (电子科技)."""
    generic = _generic()
    return wording in generic or any(wording.endswith(t) and wording[: -len(t)] in generic | {""} for t in generic)


def industry_terms() -> frozenset[str]:
    return _industry_data()[1]


def division_wordings(code: str) -> frozenset[str]:
    return _industry_data()[2].get(code, frozenset())


@lru_cache(maxsize=50_000)
def divisions_of(wording: str) -> frozenset[str]:
    """The GB/T 4754 divisions an industry wording belongs to: each term of a two-term wording counts
    (电子科技 → 39; 基金管理合伙企业 → those of 基金管理)."""
    if not wording:
        return frozenset()
    by_term = _industry_data()[0]
    if wording in by_term:
        return by_term[wording]
    found: set[str] = set()
    for term, codes in by_term.items():
        if len(term) >= 2 and (wording.startswith(term) or wording.endswith(term)):
            found |= codes
    return frozenset(found)


@lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, int]:
    index: dict[str, int] = {}
    for number, group in enumerate(read("synonyms.json")["groups"]):
        for word in group:
            index[clean(word)] = number
    return index


def synonym_group(word: str) -> frozenset[str]:
    """The wordings of the synonym group of `word` (itself included)."""
    groups = _synonym_groups()
    if word not in groups:
        return frozenset({word})
    return frozenset(w for w, n in groups.items() if n == groups[word])


def synonymous(a: str, b: str, divisions_a: frozenset[str] = frozenset(),
               divisions_b: frozenset[str] = frozenset()) -> bool:
    """Two different industry wordings with the same meaning: one synonym group, or a shared GB/T 4754 division."""
    if not a or not b:
        return False
    groups = _synonym_groups()
    if a in groups and groups.get(a) == groups.get(b):
        return True
    return bool((divisions_a or divisions_of(a)) & (divisions_b or divisions_of(b)))


def is_region_name(text: str) -> bool:
    return text in region_table()


@dataclass(frozen=True)
class NameParts:
    """What a name is compared by: trade name, its reverse and pinyin, industry wording, form family."""

    trade: str
    industry: str
    form: str
    pinyin: str

    @property
    def trade_rev(self) -> str:
        return self.trade[::-1]


def name_parts(name: str) -> NameParts:
    from shuangchuang.names.parsing import parse

    parsed = parse(name)
    trade = parsed.trade
    return NameParts(trade=trade[:64], industry=parsed.industry[:64], form=parsed.form[:16],
                     pinyin=pinyin(trade)[:200])
