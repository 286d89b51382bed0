"""Matching a screened party against list entries: look-up keys, scores and the reasons behind them.

Keys (stored per entry in EntryKey, generated per query):
  u:<USCC>  o:<organisation code>  r:<old registration number>  i:<ID number>  l:<ID number of a legal rep>
  n:<core|form>  p:<pinyin of core|form>  d:<core or core minus one character>  m:<person's name>
A screening gathers its candidates with one index look-up over its keys, then scores each candidate here.

Scores: identical USCC or ID number 1.0; identical organisation code or old registration number 0.98; the same
name after normalisation 0.97, less a little for each difference that keeps the identity (region moved or
missing, another form of the 有限公司 family); at or above MATCH (0.9) a hit is a match. Homophones (0.8), near
names (trade names one character apart, 0.6-0.8), the same name with conflicting regions (0.75) and a person's name without an ID number (0.6)
are hits for a person to adjudicate (REVIEW ≤ score < MATCH).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz.distance import Levenshtein

from shuangchuang.credit.normalise import (
    KEY_MAX,
    NEAR_MIN_TRADE,
    ParsedName,
    compact_code,
    org_code_of,
    parse_name,
    person_name,
    pinyin,
    regions_compatible,
    split_trade,
    uscc_compact,
)

MATCH = 0.9
REVIEW = 0.6
MAX_HITS = 50


@dataclass(frozen=True)
class Party:
    """Who is screened: any of a name, a USCC, an old registration number, a personal ID number."""

    name: str = ""
    uscc: str = ""
    old_registration_number: str = ""
    id_number: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in {"name": self.name, "uscc": self.uscc,
                                  "old_registration_number": self.old_registration_number,
                                  "id_number": self.id_number}.items() if v}

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.uscc.strip() or self.old_registration_number.strip()
                    or self.id_number.strip())


@dataclass
class Query:
    party: Party
    names: list[ParsedName] = field(default_factory=list)
    person: str = ""
    uscc: str = ""
    org_code: str = ""
    old_reg: str = ""
    id_number: str = ""
    notes: list[dict[str, str]] = field(default_factory=list)

    def keys(self) -> set[str]:
        keys = set()
        if self.uscc:
            keys.add("u:" + self.uscc)
        if self.org_code:
            keys.add("o:" + self.org_code)
        if self.old_reg:
            keys.add("r:" + self.old_reg)
        if self.id_number:
            keys.update({"i:" + self.id_number, "l:" + self.id_number})
        for parsed in self.names:
            keys.add("n:" + parsed.name_key)
            if parsed.pinyin_key:
                keys.add("p:" + parsed.pinyin_key)
            keys.update("d:" + k for k in parsed.near_keys)
        if self.person:
            keys.add("m:" + self.person)
        return {k[:KEY_MAX] for k in keys}

    @property
    def key(self) -> str:
        """What an adjudication about this party is remembered under."""
        if self.uscc:
            return "u:" + self.uscc
        if self.id_number:
            return "i:" + self.id_number
        if self.org_code:
            return "o:" + self.org_code
        if self.names:
            return "n:" + self.names[0].strict_key
        return ("m:" + self.person)[:KEY_MAX]


def build_query(party: Party, *, registered_name: str = "", registered_uscc: str = "",
                registered_old_reg: str = "", persons: bool = True) -> Query:
    query = Query(party=party)
    query.uscc = uscc_compact(party.uscc) or registered_uscc
    query.org_code = org_code_of(query.uscc)
    old = compact_code(party.old_registration_number) or registered_old_reg
    if len(old) == 9 and not query.org_code:  # an organisation code typed as the old number
        query.org_code = old
    elif old:
        query.old_reg = old
    query.id_number = uscc_compact(party.id_number)
    names = [n for n in (party.name.strip(), registered_name) if n]
    seen = set()
    for name in names:
        parsed = parse_name(name)
        if parsed.core and parsed.name_key not in seen:
            seen.add(parsed.name_key)
            query.names.append(parsed)
    if persons and party.name.strip():
        query.person = person_name(party.name)
    if registered_name and not party.name.strip():
        query.notes.append({"code": "name_from_register",
                            "text": _("Name taken from the enterprise register: %(name)s.")
                            % {"name": registered_name}})
    if registered_uscc and not party.uscc:
        query.notes.append({"code": "uscc_from_register",
                            "text": _("Unified social credit code taken from the enterprise register: %(uscc)s.")
                            % {"uscc": registered_uscc}})
    return query


# ---- entries ---------------------------------------------------------------------------------------------

def entry_name_fields(name: str) -> dict[str, str]:
    parsed = parse_name(name)
    return {
        "name_key": parsed.name_key,
        "name_regions": f"{parsed.region_position}:{','.join(sorted(parsed.regions))}:{parsed.raw_form}"[:64],
        "name_form": parsed.raw_form,
    }


def entry_keys(entry) -> set[str]:
    """The look-up keys of an entry (stored in EntryKey)."""
    keys = set()
    if entry.subject_type == "person":
        if entry.id_number:
            keys.add("i:" + entry.id_number)
        if entry.name:
            keys.add("m:" + person_name(entry.name))
        return {k[:KEY_MAX] for k in keys}
    if entry.uscc:
        keys.add("u:" + entry.uscc)
    org_code = entry.org_code or org_code_of(entry.uscc)
    if org_code:
        keys.add("o:" + org_code)
    if entry.old_registration_number:
        keys.add("r:" + entry.old_registration_number)
    if entry.legal_representative_id_number:
        keys.add("l:" + entry.legal_representative_id_number)
    parsed = parse_name(entry.name)
    if parsed.core:
        keys.add("n:" + parsed.name_key)
        if parsed.pinyin_key:
            keys.add("p:" + parsed.pinyin_key)
        keys.update("d:" + k for k in parsed.near_keys)
    return {k[:KEY_MAX] for k in keys}


# ---- scoring ---------------------------------------------------------------------------------------------

@dataclass
class Hit:
    entry: Any
    score: float
    reasons: list[dict[str, str]]
    kind: str = "party"  # or "legal_representative"
    status: str = ""  # match / review / confirmed / dismissed
    by_name_only: bool = False  # matched on the name alone (the entry carries no code to compare)

    def reason(self, code: str, text: str) -> None:
        self.reasons.append({"code": code, "text": text})


def _reason(code: str, text: str) -> dict[str, str]:
    return {"code": code, "text": text}


def _entry_regions(entry) -> tuple[str, frozenset[str], str]:
    position, _sep, rest = (entry.name_regions or "::").partition(":")
    codes, _sep, raw_form = rest.partition(":")
    return position, frozenset(c for c in codes.split(",") if c), raw_form


def score_name(parsed: ParsedName, entry) -> tuple[float, list[dict[str, str]]] | None:
    """Score an enterprise name against an entry's stored normalised name."""
    if not entry.name_key:
        return None
    e_core, _sep, e_form = entry.name_key.partition("|")
    position, e_regions, e_raw_form = _entry_regions(entry)
    reasons: list[dict[str, str]] = []
    if parsed.core == e_core:
        reasons.append(_reason("name_equal", _(
            "The names are the same once width, brackets, spaces, traditional characters and the region are "
            "set aside.")))
        if parsed.form == e_form:
            score = 0.97
            if parsed.raw_form != e_raw_form:
                score -= 0.01
                reasons.append(_reason("form_family", _(
                    "The organisation forms differ within one family (%(a)s / %(b)s).")
                    % {"a": parsed.raw_form, "b": e_raw_form}))
        elif not parsed.form or not e_form:
            score = 0.88
            reasons.append(_reason("form_missing", _("One of the names has no organisation form.")))
        else:
            score = 0.7
            reasons.append(_reason("form_differs", _("The organisation forms differ (%(a)s / %(b)s).")
                                   % {"a": parsed.raw_form, "b": e_raw_form}))
    elif parsed.pinyin_key and parsed.pinyin_key == f"{pinyin(e_core)}|{e_form}"[:KEY_MAX]:
        score = 0.8
        reasons.append(_reason("homophone", _("The names sound the same (%(pinyin)s).")
                               % {"pinyin": pinyin(parsed.core)}))
    else:
        # near names: trade names (字号) one character apart under the same industry wording and form family;
        # two characters apart when the trade names are long. Other pairs are other names.
        e_trade, e_industry = split_trade(e_core)
        trade = parsed.trade
        if parsed.industry != e_industry or max(len(trade), len(e_trade)) < NEAR_MIN_TRADE:
            return None
        distance = Levenshtein.distance(trade, e_trade, score_cutoff=2)
        longest = max(len(trade), len(e_trade))
        if distance == 0 or distance > 2 or (distance == 2 and min(len(trade), len(e_trade)) < 8):
            return None
        score = 0.6 + 0.25 * (1 - distance / longest)
        if parsed.form and e_form and parsed.form != e_form:
            score -= 0.1
        if score < REVIEW:
            return None
        reasons.append(_reason("near_name", _("The trade names differ by %(n)d character(s) (%(a)s / %(b)s).")
                               % {"n": distance, "a": trade, "b": e_trade}))
    # regions
    if parsed.regions and e_regions:
        if not regions_compatible(parsed.regions, e_regions):
            if reasons[-1]["code"] in ("near_name", "homophone"):
                return None  # a name that is only near or sounds alike, in another region, is another firm
            score = min(score, 0.75) if score >= 0.9 else score - 0.1
            reasons.append(_reason("region_differs", _("The names carry different regions.")))
        elif parsed.region_position != position:
            score -= 0.01
            reasons.append(_reason("region_moved", _("The region is written in another place in the name.")))
    elif parsed.regions or e_regions:
        score -= 0.02
        reasons.append(_reason("region_missing", _("Only one of the names carries a region.")))
    return round(score, 3), reasons


def score_entry(query: Query, entry) -> Hit | None:
    """The best hit of the query on one entry, or None."""
    if entry.subject_type == "person":
        if query.id_number and entry.id_number:
            if query.id_number == entry.id_number:
                return Hit(entry, 1.0, [_reason("id_equal", _("The ID number is the same."))])
            return None
        if query.person and person_name(entry.name) == query.person:
            return Hit(entry, 0.6, [_reason("person_name", _(
                "The same personal name; there is no ID number to compare."))])
        return None

    if query.id_number and entry.legal_representative_id_number == query.id_number:
        return Hit(entry, 1.0, [_reason("legal_representative", _(
            "This person is the legal representative of the listed enterprise %(name)s.") % {"name": entry.name})],
            kind="legal_representative")

    reasons: list[dict[str, str]] = []
    identity_score = 0.0
    entry_org = entry.org_code or org_code_of(entry.uscc)
    if query.uscc and entry.uscc:
        if query.uscc != entry.uscc:
            return None  # two different registered parties
        identity_score = 1.0
        reasons.append(_reason("uscc_equal", _("The unified social credit code is the same (%(code)s).")
                               % {"code": entry.uscc}))
    elif query.org_code and entry_org:
        if query.org_code != entry_org:
            return None
        identity_score = 0.98
        reasons.append(_reason("org_code_equal", _(
            "The organisation code (characters 9 to 17 of the unified social credit code) is the same (%(code)s).")
            % {"code": entry_org}))
    elif query.old_reg and entry.old_registration_number:
        if query.old_reg != entry.old_registration_number:
            return None
        identity_score = 0.98
        reasons.append(_reason("old_number_equal", _("The old registration number is the same (%(number)s).")
                               % {"number": entry.old_registration_number}))

    best_name: tuple[float, list[dict[str, str]]] | None = None
    for parsed in query.names:
        scored = score_name(parsed, entry)
        if scored is not None and (best_name is None or scored[0] > best_name[0]):
            best_name = scored
    if identity_score:
        if best_name is not None and best_name[0] >= MATCH:
            reasons.extend(best_name[1][:1])
        return Hit(entry, identity_score, reasons)
    if best_name is None or best_name[0] < REVIEW:
        return None
    return Hit(entry, best_name[0], best_name[1], by_name_only=True)


def yield_to_namesakes(query: Query, hits: list[Hit], registered: dict[str, set[str]]) -> None:
    """A name-only match whose entry is written exactly as the registered name of another enterprise (another
    USCC) most likely names that enterprise: it becomes a hit to review. `registered` maps entry names to the
    USCCs registered under exactly that name."""
    if not query.uscc:
        return
    for hit in hits:
        if not hit.by_name_only or hit.score < MATCH:
            continue
        others = registered.get(hit.entry.name, set()) - {query.uscc}
        if others:
            hit.score = min(hit.score, 0.85)
            hit.reason("name_of_another_enterprise", _(
                "The entry is written exactly as the registered name of another enterprise (%(code)s).")
                % {"code": sorted(others)[0]})


def namesake_names(hits: list[Hit]) -> set[str]:
    """The entry names that yield_to_namesakes needs looked up in the register."""
    return {h.entry.name for h in hits if h.by_name_only and h.score >= MATCH}


def rank(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (-h.score, h.entry.credit_list_id, h.entry.pk))
    return hits[:MAX_HITS]
