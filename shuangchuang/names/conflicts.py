"""Conflicts of a proposed name with the names of the same registration authority (Art 17; 2017 comparison rules).

The names compared with are rows of NameIndexEntry (registered enterprises, active reservations, protected names),
with their trade name, reversed trade name and pinyin indexed together with the authority. One check is five
index look-ups, each bounded (SAME_LIMIT, LIMIT):

1. the same trade name;
2. the same pinyin (homophones);
3. a trade name equal to a part of the proposed one of two characters or more (a registered trade name inside it);
4. trade names that begin with the proposed one, 5. trade names that end with it (the proposed one inside them;
   a trade name containing it in the middle is not looked up).

Each candidate is then classified:
- identical (hard refusal): the same trade name and the same industry wording, or either name has no industry
  wording; this covers a reordered name and names differing only in region or organisation form — unless the
  firms have an investment relation (then it is shown as a similar name to acknowledge);
- similar (acknowledge): the same trade name with a synonymous industry wording; a homophone trade name; one
  trade name containing the other — the last two in the same or an equivalent industry.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.credit.normalise import pinyin
from shuangchuang.names import rules
from shuangchuang.names.checker import IDENTICAL, SIMILAR, CheckResult, Issue
from shuangchuang.names.models import IndexSource, NameIndexEntry

LIMIT = 200  # rows per look-up for similar names (homophones, containment)
SAME_LIMIT = 2000  # rows with the same trade name: the identical rule must see them all
_MAX_CHAR = "\U0010ffff"
_TABLE = NameIndexEntry._meta.db_table
_COLUMNS = "source, source_id, name, trade, industry, division, enterprise_id, until, trade_py"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(column: str, prefix: str) -> tuple[str, list]:
    """Values that begin with `prefix` and are longer, as an index range scan: LIKE 'x%' on PostgreSQL (the index
    has the pattern operator class), a BINARY range on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} LIKE %s AND {column} <> %s", [_like_escape(prefix) + "%", prefix]
    return f"{column} > %s AND {column} < %s", [prefix, prefix + _MAX_CHAR]


def _same_or_equivalent_industry(wording: str, divisions: frozenset[str]) -> tuple[str, list]:
    """Rows that may be in the same or an equivalent industry (a superset of what `find_conflicts` keeps): no
    wording, the same or a synonymous wording, a shared division, or no division to tell. No wording: no filter."""
    if not wording:
        return "", []
    words = sorted(rules.synonym_group(wording))
    sql = f"(industry = '' OR division = '' OR industry IN ({', '.join(['%s'] * len(words))})"
    params: list = list(words)
    if divisions:
        sql += f" OR division IN ({', '.join(['%s'] * len(divisions))})"
        params += sorted(divisions)
    return sql + ")", params


def lookups(*, authority_id: int | None, trade: str, on: datetime.date, wording: str = "",
            divisions: frozenset[str] = frozenset()) -> list[tuple[str, list]]:
    """The look-ups of one check as (SQL, parameters), each an index range of (authority, key) with its bound.
    Written as SQL: the ORM's query building cost more than the look-ups themselves."""
    if authority_id is None:
        base, base_params = "authority_id IS NULL", []
    else:
        base, base_params = "authority_id = %s", [authority_id]
    base += " AND (until IS NULL OR until >= %s)"
    base_params.append(on)
    industry, industry_params = _same_or_equivalent_industry(wording, divisions)
    similar = f"{base} AND {industry}" if industry else base
    similar_params = base_params + industry_params

    def select(where: str, params: list, key: str, key_params: list, limit: int) -> tuple[str, list]:
        return (f"SELECT {_COLUMNS} FROM {_TABLE} WHERE {where} AND {key} LIMIT {int(limit)}",
                [*params, *key_params])

    parts = sorted({trade[i:j] for i in range(len(trade)) for j in range(i + 2, len(trade) + 1)} - {trade})
    found = [select(base, base_params, "trade = %s", [trade], SAME_LIMIT),
             select(similar, similar_params, "trade_py = %s", [pinyin(trade)], LIMIT)]
    if parts:
        found.append(select(similar, similar_params, f"trade IN ({', '.join(['%s'] * len(parts))})", parts, LIMIT))
    if len(trade) >= 2:
        found.append(select(similar, similar_params, *_prefix("trade", trade), LIMIT))
        found.append(select(similar, similar_params, *_prefix("trade_rev", trade[::-1]), LIMIT))
    return found


def candidate_rows(*, authority_id: int | None, trade: str, on: datetime.date, wording: str = "",
                   divisions: frozenset[str] = frozenset()) -> list[tuple]:
    """The rows of every look-up, in one statement (UNION ALL of bounded subqueries), each row once."""
    statements = lookups(authority_id=authority_id, trade=trade, on=on, wording=wording, divisions=divisions)
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS q{n}" for n, (part, _params) in enumerate(statements))
    params = [p for _part, part_params in statements for p in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows: dict[tuple[str, int], tuple] = {}
    for row in fetched:
        rows.setdefault((row[0], row[1]), row)
    return list(rows.values())


def _status(source: str, until) -> str:
    if isinstance(until, str):  # SQLite gives dates in a UNION as text
        until = datetime.date.fromisoformat(until)
    if source == IndexSource.RESERVATION:
        return _("reserved until %(date)s") % {"date": until.isoformat() if until else "—"}
    if source == IndexSource.PROTECTED or until is not None:
        return _("protected until %(date)s after deregistration, change or revocation") % {
            "date": until.isoformat() if until else "—"}
    return _("registered")


def find_conflicts(result: CheckResult, *, authority_id: int | None, industry_code: str | None = None,
                   investor_ids: frozenset[int] = frozenset(), exclude: tuple[str, int] | None = None,
                   on: datetime.date | None = None) -> None:
    on = on or timezone.localdate()
    trade, wording = result.trade, result.industry
    our_divisions = frozenset({industry_code}) if industry_code else rules.divisions_of(wording)
    our_pinyin = pinyin(trade)
    seen: set[tuple[str, str]] = set()
    identical, similar = [], []
    for source, source_id, name, their_trade, their_wording, division, enterprise_id, until, their_pinyin in (
            candidate_rows(authority_id=authority_id, trade=trade, on=on, wording=wording,
                           divisions=our_divisions)):
        if exclude is not None and (source, source_id) == exclude:
            continue
        if (name, source) in seen:
            continue
        their_divisions = frozenset({division}) if division else rules.divisions_of(their_wording)
        same_wording = wording == their_wording or not wording or not their_wording
        if their_trade == trade:
            if same_wording:
                kind = "lifted" if enterprise_id is not None and enterprise_id in investor_ids else "identical"
            elif rules.synonymous(wording, their_wording, our_divisions, their_divisions):
                kind = "synonym"
            else:
                continue
        elif not (same_wording or rules.synonymous(wording, their_wording, our_divisions, their_divisions)):
            continue
        elif their_pinyin == our_pinyin:
            kind = "homophone"
        elif their_trade in trade or trade in their_trade:
            kind = "contains"
        else:
            continue
        params = {"name": name, "status": _status(source, until), "trade": their_trade}
        if kind == "lifted":
            issue = Issue("identical_investment_relation", _(
                "%(name)s (%(status)s) has the same trade name %(trade)s; this is allowed because the firms "
                "have an investment relation. Confirm that you use it.") % params,
                rules.ART % "17", SIMILAR, name)
        elif kind == "identical":
            issue = Issue(f"identical_{IndexSource(source).name.lower()}", _(
                "Identical to %(name)s (%(status)s): the same trade name %(trade)s in the same industry or "
                "without industry wording; a different region, organisation form or order does not make "
                "another name.") % params, rules.RULE_IDENTICAL % "(1)-(3)", IDENTICAL, name)
        elif kind == "synonym":
            issue = Issue("similar_industry_wording", _(
                "Similar to %(name)s (%(status)s): the same trade name %(trade)s with industry wording of the same "
                "meaning.") % params, rules.RULE_SIMILAR % "(1)", SIMILAR, name)
        elif kind == "homophone":
            issue = Issue("similar_homophone", _(
                "Similar to %(name)s (%(status)s): the trade name %(trade)s sounds the same.") % params,
                rules.RULE_SIMILAR % "(2)", SIMILAR, name)
        else:
            issue = Issue("similar_contains", _(
                "Similar to %(name)s (%(status)s): one trade name contains the other (%(trade)s).") % params,
                rules.RULE_SIMILAR % "(3)", SIMILAR, name)
        if issue is not None:
            seen.add((name, source))
            (identical if issue.level == IDENTICAL else similar).append(issue)
    result.issues.extend(identical + similar)
