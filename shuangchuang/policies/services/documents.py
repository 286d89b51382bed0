"""Policy documents: import from plain text, publish, revise (a version is kept each time), withdraw."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.policies.models import (
    BENEFICIARY_TYPES,
    TOPICS,
    Benefit,
    DocumentStatus,
    Faq,
    PartKind,
    PartUnit,
    PolicyDocument,
    PolicyPart,
    PolicyVersion,
)
from shuangchuang.policies.models.documents import join_codes
from shuangchuang.policies.permissions import can_edit_document, can_manage_policies
from shuangchuang.policies.search import search_text
from shuangchuang.policies.textimport import ParsedDocument, UnitResolver, parse_policy_text

EDITABLE_FIELDS = ("title", "number", "index_number", "issuer", "signed_on", "published_on", "effective_from",
                   "expires_on", "source_url", "source_note", "summary")


def _user(actor: Actor):
    return actor.user if actor.user is not None and actor.user.pk else None


def _check_codes(codes: Iterable[str], vocabulary: dict, field: str) -> list[str]:
    codes = [c for c in codes if c]
    wrong = [c for c in codes if c not in vocabulary]
    if wrong:
        raise ServiceError("unknown_code", _("Unknown values: %(values)s.") % {"values": ", ".join(wrong)}, field=field)
    return codes


def _check_dates(values: dict) -> None:
    effective, expires = values.get("effective_from"), values.get("expires_on")
    if effective and expires and expires < effective:
        raise ServiceError("dates_inverted", _("The expiry date is before the effective date."), field="expires_on")
    signed, published = values.get("signed_on"), values.get("published_on")
    if signed and published and published < signed:
        raise ServiceError("dates_inverted", _("The publication date is before the signing date."),
                           field="published_on")


def _parse(text: str) -> ParsedDocument:
    if not text or not text.strip():
        raise ServiceError("text_required", _("Paste the full text of the document."), field="text")
    return parse_policy_text(text)


def _part_key(part: PolicyPart, index_in_parent: int) -> tuple:
    measure = part.measure
    return (part.kind, measure.number if measure else "", part.number, index_in_parent)


def store_parts(document: PolicyDocument, parsed: ParsedDocument, resolver: UnitResolver | None = None) -> int:
    """Create the parts of `document` from the parsed text and map their responsible units; returns the number of
    measures. Raises ServiceError naming unit names that are not department records."""
    resolver = resolver or UnitResolver()
    unresolved: list[str] = []
    order = [0]
    unit_rows: list[PartUnit] = []

    def add(parsed_part, parent) -> PolicyPart:
        order[0] += 1
        part = PolicyPart.objects.create(
            document=document, parent=parent, kind=parsed_part.kind, order=order[0], number=parsed_part.number,
            seq=parsed_part.seq, title=parsed_part.title[:200], text=parsed_part.text,
            units_text=parsed_part.units_text[:500],
            search_text=search_text(parsed_part.number, parsed_part.title, parsed_part.text, parsed_part.units_text),
        )
        seen: dict[int, str] = {}
        for name in parsed_part.unit_names:
            orgs = resolver.resolve(name)
            if not orgs:
                unresolved.append(name)
            for org in orgs:
                seen.setdefault(org.pk, name)
        for child in parsed_part.children:
            child_part = add(child, part)
            if parsed_part.kind == "measure":
                for unit in child_part._units:
                    seen.setdefault(unit[0], unit[1])
        part._units = list(seen.items())
        for position, (org_id, written) in enumerate(part._units):
            unit_rows.append(PartUnit(part=part, organisation_id=org_id, written_as=written[:64], order=position))
        return part

    measures = 0
    for parsed_part in parsed.parts:
        add(parsed_part, None)
    measures = len(parsed.measures)
    if unresolved:
        raise ServiceError(
            "unknown_units",
            _("These responsible units are not department records: %(names)s.")
            % {"names": "、".join(dict.fromkeys(unresolved))}, field="text",
        )
    PartUnit.objects.bulk_create(unit_rows)
    return measures


def snapshot(document: PolicyDocument) -> dict:
    parts = document.parts.order_by("order").prefetch_related("part_units__organisation")
    return {
        **{name: (getattr(document, name).isoformat() if isinstance(getattr(document, name), datetime.date)
                  else getattr(document, name)) for name in EDITABLE_FIELDS},
        "status": document.status,
        "topics": document.topic_codes,
        "beneficiary_types": document.beneficiary_codes,
        "districts": sorted(document.districts.values_list("key", flat=True)),
        "body": document.body,
        "parts": [{"kind": p.kind, "number": p.number, "title": p.title, "text": p.text, "units_text": p.units_text,
                   "units": [u.organisation.code for u in p.part_units.all()]} for p in parts],
    }


def _refresh_search(document: PolicyDocument) -> None:
    document.search_text = search_text(document.title, document.number, document.issuer, document.summary,
                                       document.body)


def _save_version(document: PolicyDocument, actor: Actor, note: str) -> PolicyVersion:
    return PolicyVersion.objects.create(document=document, number=document.version, snapshot=snapshot(document),
                                        note=note, created_by=_user(actor), created_label=actor.label)


def create_document(*, department, parsed: ParsedDocument, text: str, values: dict, topics, beneficiary_types,
                    districts, is_summary: bool = False, resolver: UnitResolver | None = None) -> PolicyDocument:
    """Create a draft document with its parts (no permission check, no audit: callers do both)."""
    meta = parsed.meta
    document = PolicyDocument(
        department=department, is_summary=is_summary,
        title=(values.get("title") or meta.get("title") or "").strip(),
        number=(values.get("number") or meta.get("number") or "").strip(),
        index_number=values.get("index_number") or meta.get("index_number", ""),
        issuer=(values.get("issuer") or meta.get("issuer") or department.name).strip(),
        signed_on=values.get("signed_on") or meta.get("signed_on"),
        published_on=values.get("published_on") or meta.get("published_on"),
        effective_from=values.get("effective_from"), expires_on=values.get("expires_on"),
        source_url=values.get("source_url") or meta.get("source_url", ""),
        source_note=values.get("source_note", ""), summary=values.get("summary", ""),
        body=parsed.body, topics=join_codes(topics), beneficiary_types=join_codes(beneficiary_types),
    )
    if not document.title:
        raise ServiceError("title_required", _("Give the document a title."), field="title")
    _check_dates({f: getattr(document, f) for f in EDITABLE_FIELDS})
    _refresh_search(document)
    document.save()
    if districts:
        document.districts.set(districts)
    store_parts(document, parsed, resolver)
    return document


def policy_import_text(
    *,
    actor: Actor,
    department,
    text: str,
    topics: Iterable[str] = (),
    beneficiary_types: Iterable[str] = (),
    districts: Iterable = (),
    **values,
) -> PolicyDocument:
    """Import a document from plain text as a draft of `department`: header fields, measures and their units."""
    require(can_manage_policies(actor, department))
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    topics = _check_codes(topics, TOPICS, "topics")
    beneficiary_types = _check_codes(beneficiary_types, BENEFICIARY_TYPES, "beneficiary_types")
    parsed = _parse(text)
    with transaction.atomic():
        number = (values.get("number") or parsed.meta.get("number") or "").strip()
        if number and PolicyDocument.objects.filter(number=number).exclude(status=DocumentStatus.WITHDRAWN).exists():
            raise Conflict("number_exists", _("A document with this number is already in the library."),
                           field="number")
        document = create_document(department=department, parsed=parsed, text=text, values=values, topics=topics,
                                   beneficiary_types=beneficiary_types, districts=list(districts))
        _save_version(document, actor, _("Imported from text."))
        audit_record(actor=actor, verb="policies.document_imported", obj=document, department=department,
                     params={"number": document.number, "measures": len(parsed.measures)})
    return document


def policy_publish(*, actor: Actor, document: PolicyDocument) -> PolicyDocument:
    require(can_edit_document(actor, document))
    if document.status == DocumentStatus.PUBLISHED:
        raise Conflict("already_published", _("This document is already published."))
    with transaction.atomic():
        document.status = DocumentStatus.PUBLISHED
        document.published_at = timezone.now()
        document.published_on = document.published_on or timezone.localdate()
        document.withdrawn_at = None
        document.withdrawn_reason = ""
        document.save()
        audit_record(actor=actor, verb="policies.document_published", obj=document, department=document.department,
                     params={"version": document.version})
        from shuangchuang.policies.tasks import start_document_pushes

        enqueue_after_commit(start_document_pushes, document.pk)
    return document


def _relink(document: PolicyDocument, old_keys: dict) -> None:
    """After the parts were rebuilt, point benefits and answers at the part with the same place in the text."""
    new_parts = list(document.parts.order_by("order").select_related("parent"))
    by_key = {}
    counters: dict = {}
    for part in new_parts:
        index = counters.get(part.parent_id, 0)
        counters[part.parent_id] = index + 1
        by_key[_part_key(part, index)] = part
    for benefit_id, key in old_keys["benefits"].items():
        Benefit.objects.filter(pk=benefit_id).update(part=by_key.get(key))
    for faq_id, keys in old_keys["faqs"].items():
        faq = Faq.objects.get(pk=faq_id)
        faq.citations.set([by_key[k] for k in keys if k in by_key])


def _old_keys(document: PolicyDocument) -> dict:
    keys: dict = {}
    counters: dict = {}
    for part in document.parts.order_by("order").select_related("parent"):
        index = counters.get(part.parent_id, 0)
        counters[part.parent_id] = index + 1
        keys[part.pk] = _part_key(part, index)
    benefits = {b.pk: keys.get(b.part_id) for b in Benefit.objects.filter(part__document=document)}
    faqs: dict = {}
    for faq in Faq.objects.filter(citations__document=document).distinct():
        faqs[faq.pk] = [keys[p.pk] for p in faq.citations.all() if p.pk in keys]
    return {"benefits": benefits, "faqs": faqs}


def policy_revise(
    *,
    actor: Actor,
    document: PolicyDocument,
    note: str,
    text: str | None = None,
    topics: Iterable[str] | None = None,
    beneficiary_types: Iterable[str] | None = None,
    districts: Iterable | None = None,
    **values,
) -> PolicyDocument:
    """Change a document's text or metadata; the previous version stays readable and the differences are shown."""
    require(can_edit_document(actor, document))
    if document.status == DocumentStatus.WITHDRAWN:
        raise Conflict("withdrawn", _("A withdrawn document cannot be revised."))
    note = (note or "").strip()
    if not note:
        raise ServiceError("note_required", _("Say what changed in this revision."), field="note")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(document)
    parsed = _parse(text) if text is not None else None
    with transaction.atomic():
        for name, value in values.items():
            setattr(document, name, value.strip() if isinstance(value, str) else value)
        if not document.title:
            raise ServiceError("title_required", _("Give the document a title."), field="title")
        _check_dates({f: getattr(document, f) for f in EDITABLE_FIELDS})
        if topics is not None:
            document.topics = join_codes(_check_codes(topics, TOPICS, "topics"))
        if beneficiary_types is not None:
            document.beneficiary_types = join_codes(
                _check_codes(beneficiary_types, BENEFICIARY_TYPES, "beneficiary_types"))
        if districts is not None:
            document.districts.set(list(districts))
        if parsed is not None:
            old_keys = _old_keys(document)
            document.parts.all().delete()
            document.body = parsed.body
            store_parts(document, parsed)
            _relink(document, old_keys)
        after_fields = snapshot(document)
        changed = sorted(k for k in after_fields if k != "status" and after_fields[k] != before.get(k))
        if not changed:
            raise ServiceError("nothing_changed", _("Nothing changed: the revision is the same as the current version."))
        document.version += 1
        _refresh_search(document)
        document.save()
        _save_version(document, actor, note)
        audit_record(actor=actor, verb="policies.document_revised", obj=document, department=document.department,
                     params={"version": document.version, "changed": changed, "note": note})
    return document


def policy_withdraw(*, actor: Actor, document: PolicyDocument, reason: str) -> PolicyDocument:
    """Withdraw a document: it leaves the public list and its benefits stop matching; its record stays."""
    require(can_edit_document(actor, document))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Give the reason for the withdrawal."), field="reason")
    if document.status == DocumentStatus.WITHDRAWN:
        raise Conflict("already_withdrawn", _("This document is already withdrawn."))
    with transaction.atomic():
        document.status = DocumentStatus.WITHDRAWN
        document.withdrawn_at = timezone.now()
        document.withdrawn_reason = reason
        document.save()
        audit_record(actor=actor, verb="policies.document_withdrawn", obj=document, department=document.department,
                     params={"reason": reason})
    return document


__all__ = ["PartKind", "create_document", "policy_import_text", "policy_publish", "policy_revise", "policy_withdraw",
           "snapshot", "store_parts"]
