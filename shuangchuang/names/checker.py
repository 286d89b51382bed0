"""Checking a proposed enterprise name (企业名称自主申报, POLICY-FACTS §2.3).

`check_name` parses the name into region + trade name (字号) + industry wording + organisation form (Art 6),
checks its structure (Art 7-10, 13), its content against the forbidden lists (Art 11-12, names/data/forbidden.json),
and compares it with every registered, reserved and protected name of the same registration authority
(names.conflicts, Art 17 and the 2017 comparison rules). The verdict is the worst issue found:
invalid > identical > similar > ok.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shuangchuang.credit.normalise import ParsedName, clean, region_table
from shuangchuang.names.parsing import parse
from shuangchuang.names import rules

INVALID, IDENTICAL, SIMILAR, OK = "invalid", "identical", "similar", "ok"
_SEVERITY = {INVALID: 3, IDENTICAL: 2, SIMILAR: 1, OK: 0}
MAX_LENGTH = 50
MAX_ISSUES = 30

_LATIN = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"[0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ALLOWED = re.compile(r"[\u3400-\u9fff()（）\s]")


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    rule: str
    level: str
    conflict: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "conflict": self.conflict, "rule": self.rule}


@dataclass
class CheckResult:
    name: str
    parsed: dict[str, str]
    issues: list[Issue] = field(default_factory=list)
    trade: str = ""
    industry: str = ""
    form: str = ""

    @property
    def verdict(self) -> str:
        worst = max((_SEVERITY[i.level] for i in self.issues), default=0)
        return next(level for level, rank in _SEVERITY.items() if rank == worst)

    def issues_of(self, level: str) -> list[Issue]:
        return [i for i in self.issues if i.level == level]

    def as_dict(self) -> dict[str, Any]:
        ordered = sorted(self.issues, key=lambda i: -_SEVERITY[i.level])[:MAX_ISSUES]
        return {"verdict": self.verdict, "parsed": self.parsed, "issues": [i.as_dict() for i in ordered]}


def _authority_prefix(region_code: str) -> str:
    """440300 → 4403: the codes inside the authority's area start with it."""
    code = region_code or ""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def _structure(result: CheckResult, raw: str, parsed: ParsedName, legal_form: str, industry_code: str | None,
               authority_region: str) -> None:
    add = result.issues.append
    text = unicodedata.normalize("NFKC", raw)
    if _LATIN.search(text):
        add(Issue("latin_letters", _("Latin letters and pinyin are not allowed in an enterprise name."),
                  rules.RULE_CHARACTERS, INVALID))
    if _DIGITS.search(text):
        add(Issue("digits", _("Digits are not allowed in an enterprise name."), rules.RULE_CHARACTERS, INVALID))
    others = {c for c in text if not _ALLOWED.match(c) and not _LATIN.match(c) and not _DIGITS.match(c)}
    if others:
        add(Issue("characters", _("These characters are not allowed in an enterprise name: %(chars)s")
                  % {"chars": " ".join(sorted(others))}, rules.RULE_CHARACTERS, INVALID))
    if len(parsed.cleaned) > MAX_LENGTH:
        add(Issue("too_long", _("The name is longer than %(max)d characters.") % {"max": MAX_LENGTH},
                  rules.RULE_STRUCTURE, INVALID))

    # Region (Art 6-7): the division of the authority; a district preceded by its city.
    if not parsed.region_words:
        add(Issue("region_missing", _("The name must begin with the administrative division where the firm sits, "
                                      "such as 深圳市."), rules.RULE_REGION, INVALID))
    else:
        prefix = _authority_prefix(authority_region)
        if prefix and not any(code.startswith(prefix) for code in parsed.regions):
            add(Issue("region_outside", _("The region %(region)s is not the division of the registration authority.")
                      % {"region": "".join(parsed.region_words)}, rules.RULE_REGION, INVALID))
        elif parsed.region_position == "prefix":
            table = region_table()
            first = parsed.region_words[0]
            is_county = all(len(code) > 4 for code in table.get(first, ()))
            if is_county:
                add(Issue("district_without_city", _("A district name must be preceded by its city's name, as in "
                                                     "深圳市%(district)s.") % {"district": first},
                          rules.RULE_REGION, INVALID))

    # Organisation form (Art 10, 13)
    allowed_forms = rules.forms_by_legal_form().get(legal_form, ())
    raw_form = parsed.raw_form
    if legal_form == "branch":
        if not any(parsed.cleaned.endswith(f) for f in allowed_forms):
            add(Issue("branch_form", _("A branch name is the head office's name followed by 分公司, 分厂 or 分店."),
                      rules.RULE_BRANCH, INVALID))
    elif not raw_form:
        add(Issue("form_missing", _("The name must end with an organisation form such as 有限公司."),
                  rules.RULE_FORM, INVALID))
    elif allowed_forms and raw_form not in allowed_forms:
        add(Issue("form_mismatch", _("The organisation form %(form)s does not fit the legal form; use one of: "
                                     "%(allowed)s.") % {"form": raw_form, "allowed": "、".join(allowed_forms)},
                  rules.RULE_FORM, INVALID))

    # Trade name (Art 8)
    trade = result.trade
    if legal_form != "branch":
        if len(_CJK.findall(trade)) < 2:
            add(Issue("trade_name_too_short", _("The trade name must have two or more Chinese characters."),
                      rules.RULE_TRADE, INVALID))
        elif rules.is_region_name(trade):
            add(Issue("trade_name_is_region", _("The trade name %(trade)s is the name of an administrative "
                                                "division.") % {"trade": trade}, rules.RULE_TRADE, INVALID))
        elif trade in rules.industry_terms():
            add(Issue("trade_name_is_industry", _("The trade name %(trade)s is an industry term.")
                      % {"trade": trade}, rules.RULE_TRADE, INVALID))

    # Industry wording (Art 9): when the applicant gives the GB/T 4754 division, a wording of another division
    # is refused; cross-industry wording (科技, 贸易, 实业 …) and unknown wording are left to the counter.
    wording = result.industry
    if industry_code and wording and not rules.is_generic_wording(wording):
        divisions = rules.divisions_of(wording)
        if divisions and industry_code not in divisions:
            add(Issue("industry_mismatch", _("The industry wording %(wording)s belongs to another industry than "
                                             "the one declared (%(code)s); wordings of that industry: "
                                             "%(terms)s.") % {"wording": wording, "code": industry_code,
                                                             "terms": "、".join(sorted(rules.division_wordings(
                                                                 industry_code))) or "—"},
                      rules.RULE_INDUSTRY, INVALID))


def _forbidden(result: CheckResult, parsed: ParsedName) -> None:
    name = parsed.cleaned.replace("(", "").replace(")", "")
    for category in rules.forbidden_categories():
        for word in category.words:
            if category.position == "start":
                hit = name.startswith(word)
            elif category.position == "trade_name":
                hit = word in result.trade and not name.startswith(word)
            else:  # "part": inside the trade name or inside the industry wording, not across them
                hit = word in result.trade or word in result.industry
            if hit:
                result.issues.append(Issue(category.code, _("The name contains %(word)s, which an enterprise name "
                                                           "may not contain (%(rule)s).")
                                           % {"word": word, "rule": category.rule}, category.rule, INVALID))
                break


def parse_proposed(name: str) -> tuple[ParsedName, CheckResult]:
    parsed = parse(name or "")
    result = CheckResult(name=name, parsed={
        "region": "".join(parsed.region_words) or None,
        "trade_name": parsed.trade or None,
        "industry": parsed.industry or None,
        "form": parsed.raw_form or None,
    }, trade=parsed.trade, industry=parsed.industry, form=parsed.form)
    return parsed, result


def check_name(*, name: str, legal_form: str, authority, industry_code: str | None = None,
               investor_ids: frozenset[int] = frozenset(), exclude: tuple[str, int] | None = None,
               on: datetime.date | None = None, conflicts: bool = True) -> CheckResult:
    """Check a proposed name for `authority` (a core Organisation); see the module docstring."""
    from shuangchuang.names.conflicts import find_conflicts

    raw = (name or "").strip()
    parsed, result = parse_proposed(raw)
    if not clean(raw):
        result.issues.append(Issue("empty", _("Enter a name."), rules.RULE_STRUCTURE, INVALID))
        return result
    _structure(result, raw, parsed, legal_form, industry_code, getattr(authority, "region_code", ""))
    _forbidden(result, parsed)
    if conflicts and len(result.trade) >= 2 and legal_form != "branch":
        find_conflicts(result, authority_id=getattr(authority, "pk", None), industry_code=industry_code,
                       investor_ids=investor_ids, exclude=exclude, on=on)
    return result
