"""Screening: is this party on a list that restricts this action? With score, reasons, decision and evidence.

Other modules enforce joint punishment only through `screening_run`:

    result = screening_run(actor=actor, party=Party(uscc=enterprise.uscc), action="special_fund", channel="programmes")
    if result.blocked: ...   # result.hits explain why; result.evidence_id is kept with the decision
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotFound, ServiceError, require
from shuangchuang.core.idnumber import mask_id_number, validate_id_number
from shuangchuang.core.models import Organisation
from shuangchuang.credit import lookup, selectors
from shuangchuang.credit.matching import (
    MATCH,
    Hit,
    Party,
    Query,
    build_query,
    namesake_names,
    rank,
    score_entry,
    yield_to_namesakes,
)
from shuangchuang.credit.models import (
    Action,
    Adjudication,
    AdjudicationDecision,
    ListEntry,
    Restriction,
    ScreeningEvidence,
)
from shuangchuang.credit.normalise import uscc_compact
from shuangchuang.credit.permissions import can_adjudicate, can_screen, can_see_non_public_lists, can_view_evidence
from shuangchuang.credit.services.common import add_months
from shuangchuang.registry.models import Enterprise
from shuangchuang.registry.uscc import REASON_MESSAGES, parse_uscc

DECISION_BLOCKED = "blocked"
DECISION_REVIEW = "review"
DECISION_CLEAR = "clear"


@dataclass
class ScreeningResult:
    action: str
    on: datetime.date
    scope: str
    decision: str
    blocked: bool
    hits: list[dict[str, Any]]
    query: dict[str, Any]
    notes: list[dict[str, str]] = field(default_factory=list)
    evidence_id: str = ""
    list_versions: dict[str, int] = field(default_factory=dict)
    screened_at: datetime.datetime | None = None

    @property
    def needs_review(self) -> bool:
        return self.decision == DECISION_REVIEW

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action, "on": self.on.isoformat(), "scope": self.scope, "decision": self.decision,
            "blocked": self.blocked, "hits": self.hits, "notes": self.notes, "query": self.query,
            "evidence_id": self.evidence_id, "list_versions": self.list_versions,
        }


def clean_party(party: Party) -> Party:
    """Check the identifiers a party is given with; a wrong code is an error, not a silent miss."""
    if party.is_empty:
        raise ServiceError("party_required", _("Give a name, a unified social credit code, a registration number or "
                                               "an ID number."), field="name")
    uscc = uscc_compact(party.uscc)
    if uscc:
        parsed = parse_uscc(uscc)
        if not parsed.valid:
            raise ServiceError(f"uscc_{parsed.reason}", _(REASON_MESSAGES[parsed.reason]), field="uscc")
    id_number = party.id_number.strip()
    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except Exception as exc:  # django ValidationError with a translated message
            messages = getattr(exc, "messages", [str(exc)])
            raise ServiceError(getattr(exc, "code", None) or "id_number_invalid", " ".join(str(m) for m in messages),
                               field="id_number") from exc
    if len(party.name) > 200:
        raise ServiceError("name_too_long", _("The name is longer than 200 characters."), field="name")
    return Party(name=" ".join(party.name.split()), uscc=uscc,
                 old_registration_number=party.old_registration_number.strip(), id_number=id_number)


def query_for(party: Party) -> Query:
    """The query for a party, completed from the enterprise register: the registered name of a USCC, the USCC of
    an exactly registered name (so that entries under another code are not taken for this party)."""
    registered_name = registered_uscc = registered_old = ""
    if party.uscc:
        found = Enterprise.objects.filter(uscc=party.uscc).values_list("name", "old_registration_number").first()
        if found:
            registered_name = found[0] if found[0] != party.name else ""
            registered_old = found[1] or ""
    elif party.name and not party.id_number:
        found = list(Enterprise.objects.filter(name=party.name).values_list("uscc", "old_registration_number")[:2])
        if len(found) == 1:
            registered_uscc, registered_old = found[0][0], found[0][1] or ""
    return build_query(party, registered_name=registered_name, registered_uscc=registered_uscc,
                       registered_old_reg=registered_old)


def registered_usccs(names: set[str]) -> dict[str, set[str]]:
    """The USCCs registered under exactly each of these names (one indexed look-up)."""
    found: dict[str, set[str]] = {}
    for name, uscc in Enterprise.objects.filter(name__in=sorted(names)).values_list("name", "uscc"):
        found.setdefault(name, set()).add(uscc)
    return found


def _applying(restrictions: list[Restriction], hit: Hit, on: datetime.date) -> list[Restriction]:
    applying = []
    for restriction in restrictions:
        if restriction.credit_list_id != hit.entry.credit_list_id or restriction.subject != hit.kind:
            continue
        if restriction.valid_from > on or (restriction.valid_to and restriction.valid_to < on):
            continue
        if restriction.duration_months and on >= add_months(hit.entry.listed_on, restriction.duration_months):
            continue
        applying.append(restriction)
    return applying


def _decider(adjudication: Adjudication) -> str:
    """Who decided, as shown with a result: the department (officers' names are not published)."""
    return adjudication.department.name if adjudication.department_id else str(_("A department officer"))


def _hit_dict(hit: Hit, applying: list[Restriction], adjudication: Adjudication | None) -> dict[str, Any]:
    entry: ListEntry = hit.entry
    credit_list = entry.credit_list
    data = {
        "list": credit_list.code, "list_name": credit_list.name, "list_version": credit_list.version,
        "entry": str(entry.pk), "entry_version": entry.version, "name": entry.name, "uscc": entry.uscc,
        "subject_type": entry.subject_type, "id_number": mask_id_number(entry.id_number),
        "listed_on": entry.listed_on.isoformat(), "listing_reason": entry.reason[:300],
        "authority": entry.authority, "score": hit.score, "status": hit.status, "kind": hit.kind,
        "reasons": [r["text"] for r in hit.reasons], "reason_codes": [r["code"] for r in hit.reasons],
        "restricts": bool(applying),
        "restrictions": [
            {"action": r.action, "legal_basis": r.legal_basis, "valid_from": r.valid_from.isoformat(),
             "valid_to": r.valid_to.isoformat() if r.valid_to else None,
             "until": add_months(entry.listed_on, r.duration_months).isoformat() if r.duration_months else None}
            for r in applying
        ],
        "adjudication": None,
    }
    if adjudication is not None:
        data["adjudication"] = {
            "decision": adjudication.decision, "by": _decider(adjudication),
            "at": timezone.localtime(adjudication.decided_at).isoformat(timespec="minutes"), "note": adjudication.note,
        }
    return data


def screen(query: Query, *, action: str, on: datetime.date, scope: str,
           snapshot: lookup.ListsSnapshot | None = None) -> tuple[str, bool, list[dict[str, Any]]]:
    """Decide for one query without writing anything: (decision, blocked, hits)."""
    snapshot = snapshot or lookup.lists_snapshot()
    candidates = lookup.candidates(query.keys(), on=on, snapshot=snapshot, public_only=scope == "public")
    hits = [h for h in (score_entry(query, e) for e in candidates) if h is not None]
    names = namesake_names(hits) if query.uscc else set()
    if names:
        yield_to_namesakes(query, hits, registered_usccs(names))
    hits = rank(hits)
    restrictions = snapshot.restrictions.get(action, [])
    adjudications = {}
    if any(h.score < 1.0 for h in hits):
        adjudications = selectors.adjudications_for(query.key, [h.entry.pk for h in hits])
    blocked = review = False
    results = []
    for hit in hits:
        hit.status = "match" if hit.score >= MATCH else "review"
        adjudication = adjudications.get((hit.entry.pk, hit.entry.version)) if hit.score < 1.0 else None
        if adjudication is not None:
            if adjudication.decision == AdjudicationDecision.SAME:
                hit.status = "confirmed"
                hit.reason("adjudicated_same", _("%(who)s decided on %(date)s that this is the same party.")
                           % {"who": _decider(adjudication), "date": timezone.localdate(adjudication.decided_at)})
            else:
                hit.status = "dismissed"
                hit.reason("adjudicated_not_same",
                           _("%(who)s decided on %(date)s that this is not the same party.")
                           % {"who": _decider(adjudication), "date": timezone.localdate(adjudication.decided_at)})
        applying = _applying(restrictions, hit, on)
        if applying and hit.status in ("match", "confirmed"):
            blocked = True
        elif applying and hit.status == "review":
            review = True
        results.append(_hit_dict(hit, applying, adjudication))
    decision = DECISION_BLOCKED if blocked else DECISION_REVIEW if review else DECISION_CLEAR
    return decision, blocked, results


def _stored_query(party: Party) -> dict[str, str]:
    return party.as_dict()


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL the evidence transaction commits asynchronously (SET LOCAL synchronous_commit = off): a crash
    may lose the last fraction of a second of screenings but never corrupts or reorders them, and because the
    write-ahead log is sequential, any later durable commit (such as the deciding module's decision, which
    keeps the evidence_id) makes the evidence durable too. It saves the disk flush on every public query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def screening_run(*, actor: Actor, party: Party, action: str, on: datetime.date | None = None,
                  channel: str = "api", client: str = "",
                  deciding_department: Organisation | None = None) -> ScreeningResult:
    """Screen one party for one action on a day (today by default), store the evidence and return the result.

    A module that screens on behalf of a department's decision (registration, programmes, vouchers) names that
    department, so its officers can open the evidence where they decide.

    Officers (and the system) are answered from every list; anyone else from the public lists only."""
    if action not in Action.values:
        raise ServiceError("invalid_action", _("Unknown action. Use one of: %(actions)s.")
                           % {"actions": ", ".join(Action.values)}, field="action")
    require(can_screen(actor, by_id_number=bool(party.id_number.strip())))
    party = clean_party(party)
    on = on or timezone.localdate()
    scope = "officer" if can_see_non_public_lists(actor)[0] else "public"
    query = query_for(party)
    snapshot = lookup.lists_snapshot()
    decision, blocked, hits = screen(query, action=action, on=on, scope=scope, snapshot=snapshot)
    versions = snapshot.versions
    result = ScreeningResult(action=action, on=on, scope=scope, decision=decision, blocked=blocked, hits=hits,
                             query=_stored_query(party), notes=query.notes, list_versions=versions)
    result.evidence_id = str(uuid.uuid4())
    label = f"{action}: {mask_id_number(party.id_number) if party.id_number else party.name or party.uscc}"
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        evidence = ScreeningEvidence.objects.create(
            id=result.evidence_id, actor=actor.user, actor_label=actor.label, organisation=actor.organisation,
            deciding_department=deciding_department,
            client=client[:64], channel=channel[:16], action=action, on_date=on, query=result.query,
            query_key=query.key, decision=decision, blocked=blocked, hit_count=len(hits), result=result.as_dict(),
            list_versions=versions, scope=scope,
        )
        audit_record(
            actor=actor, verb="credit.screened", obj=evidence, object_label=label[:200], department=actor.department,
            params={"action": action, "decision": decision, "hits": len(hits), "channel": channel, "on": on},
        )
    result.screened_at = evidence.created_at
    return result


def adjudication_record(*, actor: Actor, evidence: ScreeningEvidence, entry: ListEntry, decision: str,
                        note: str = "") -> Adjudication:
    """Decide whether the screened party of this evidence is the party of the entry. The decision holds for
    later screenings of the same party until the entry changes."""
    require(can_view_evidence(actor, evidence))
    require(can_adjudicate(actor, entry))
    if decision not in AdjudicationDecision.values:
        raise ServiceError("invalid_decision", _("Decide same or not_same."), field="decision")
    hit = next((h for h in evidence.result.get("hits", []) if h["entry"] == str(entry.pk)), None)
    if hit is None:
        raise NotFound("not_a_hit", _("This entry is not a hit of that screening."))
    if hit["entry_version"] != entry.version:
        raise Conflict("entry_changed", _("The entry changed since this screening; screen again first."))
    if hit["score"] >= 1.0:
        raise Conflict("identity_hit", _("An identical code or ID number needs no decision."))
    try:
        with transaction.atomic():
            adjudication = Adjudication.objects.create(
                query_key=evidence.query_key, entry=entry, entry_version=entry.version, decision=decision,
                note=(note or "").strip()[:300], decided_by=actor.user, department=actor.department, evidence=evidence,
            )
            audit_record(
                actor=actor, verb="credit.adjudicated", obj=adjudication, object_label=f"{entry.name}"[:200],
                department=entry.credit_list.department,
                params={"evidence": str(evidence.pk), "entry": entry.pk, "entry_version": entry.version,
                        "decision": decision, "query_key": evidence.query_key, "note": adjudication.note},
            )
    except IntegrityError as exc:
        raise Conflict("already_decided", _("This was already decided for this party and this entry.")) from exc
    return adjudication
