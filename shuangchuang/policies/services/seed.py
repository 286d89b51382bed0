"""Load the module's data: the seed policy 深府〔2016〕61号 (full text, 34 measures), the cited summaries of the
related rules, the effective-dated parameters and the benefits with their rules. Idempotent."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import require
from shuangchuang.core.models import Organisation
from shuangchuang.policies.models import (
    Benefit,
    BenefitStatus,
    DocumentStatus,
    Parameter,
    PartKind,
    PolicyDocument,
    PolicyVersion,
)
from shuangchuang.policies.models.documents import join_codes
from shuangchuang.policies.permissions import can_manage_policies
from shuangchuang.policies.rules import validate_rule
from shuangchuang.policies.rules.facts import credit_subquery_function
from shuangchuang.policies.search import search_text
from shuangchuang.policies.textimport import ParsedDocument, ParsedPart, UnitResolver, parse_policy_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED_POLICY_SLUG = "sz-2016-61"


def read_data(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _parsed_summary(row: dict) -> ParsedDocument:
    parts = [ParsedPart(kind="paragraph", text=text) for text in row["paragraphs"]]
    return ParsedDocument(meta={}, parts=parts, body="\n".join(row["paragraphs"]))


def _load_documents(departments: dict, resolver: UnitResolver) -> dict[str, PolicyDocument]:
    from shuangchuang.policies.services.documents import create_document, snapshot

    loaded = {}
    now = timezone.now()
    for row in read_data("documents.json")["documents"]:
        existing = PolicyDocument.objects.filter(slug=row["key"]).first()
        if existing is not None:
            loaded[row["key"]] = existing
            continue
        if "text_file" in row:
            parsed = parse_policy_text((DATA_DIR / row["text_file"]).read_text(encoding="utf-8"))
        else:
            parsed = _parsed_summary(row)
        values = {name: row.get(name, "") for name in ("title", "number", "issuer", "summary", "source_note")}
        for name in ("signed_on", "published_on", "effective_from", "expires_on"):
            values[name] = _date(row.get(name))
        document = create_document(
            department=departments[row["department"]], parsed=parsed, text="", values=values, topics=row["topics"],
            beneficiary_types=row["beneficiary_types"], districts=[], is_summary="paragraphs" in row,
            resolver=resolver,
        )
        document.slug = row["key"]
        document.status = DocumentStatus.PUBLISHED
        document.published_at = now
        if not document.is_summary:
            document.published_on = document.published_on or timezone.localdate()
        document.save()
        PolicyVersion.objects.create(document=document, number=1, snapshot=snapshot(document),
                                     note="Loaded from the module's data files.", created_label="system:seed")
        loaded[row["key"]] = document
    return loaded


def _load_parameters(departments: dict) -> int:
    count = 0
    for row in read_data("parameters.json")["parameters"]:
        for period in row["periods"]:
            value = period.get("value")
            if value is not None and row["kind"] == "money":
                value = int(value) * 100
            _parameter, created = Parameter.objects.get_or_create(
                key=row["key"], valid_from=_date(period["valid_from"]),
                defaults={"label": row["label"], "kind": row["kind"], "unit": row.get("unit", ""), "value": value,
                          "valid_to": _date(period.get("valid_to")), "source": period.get("source", ""),
                          "note": period.get("note", ""), "department": departments[row["department"]]},
            )
            count += created
    return count


def _clause(document: PolicyDocument, clause: dict):
    parts = document.parts.order_by("order")
    if "measure" in clause:
        measure = parts.get(kind=PartKind.MEASURE, number=clause["measure"])
        children = list(measure.children.order_by("order"))
        return children[clause.get("paragraph", 0)] if "paragraph" in clause else measure
    return list(parts.filter(parent__isnull=True, kind=PartKind.PARAGRAPH))[clause["paragraph"]]


def benefit_rule_with_credit(rule: dict, credit_action: str | None) -> dict:
    """The seeded rule plus "not restricted by a credit list" when the credit module provides the check."""
    if not credit_action or credit_subquery_function() is None:
        return rule
    condition = {"fact": "credit_blocked", "op": "is", "value": False, "action": credit_action,
                 "cite": "（二）限制具有信用污点的企业申报财政专项资金扶持、参与政府采购"}
    return {"all": [*rule.get("all", []), condition]}


def _load_benefits(departments: dict, documents: dict) -> int:
    count = 0
    now = timezone.now()
    for row in read_data("benefits.json")["benefits"]:
        existing = Benefit.objects.filter(code=row["code"]).first()
        if existing is not None:
            # The credit module arrived after the seed: add its condition to rules no officer has changed.
            with_credit = benefit_rule_with_credit(row["rule"], row.get("credit_action"))
            if existing.version == 1 and existing.rule == row["rule"] and with_credit != row["rule"]:
                existing.rule = validate_rule(with_credit)
                existing.save(update_fields=["rule", "updated_at"])
                count += 1
            continue
        document = documents[row["document"]]
        rule = validate_rule(benefit_rule_with_credit(row["rule"], row.get("credit_action")))
        benefit = Benefit(
            code=row["code"], document=document, part=_clause(document, row["clause"]),
            department=departments[row["department"]], title=row["title"], kind=row["kind"],
            audience=row["audience"], summary=row.get("summary", ""), amount_text=row.get("amount_text", ""),
            amount_params=row.get("amount_params", []), amount_by=row.get("amount_by", {}), rule=rule,
            citation=row.get("citation", ""), beneficiary_types=join_codes(row.get("beneficiary_types", [])),
            keywords=row.get("keywords", ""), checked_at_application=row.get("checked_at_application", ""),
            status=BenefitStatus.PUBLISHED, published_at=now,
        )
        benefit.search_text = search_text(benefit.title, benefit.summary, benefit.amount_text, benefit.keywords,
                                          benefit.citation)
        benefit.save()
        count += 1
    return count


def seed_load(*, actor: Actor) -> dict[str, int]:
    """Load (or complete) the seed policy, related rules, parameters and benefits; returns what was added."""
    departments = {org.code: org for org in Organisation.objects.filter(kind__in=["department", "platform"])}
    seed_department = departments["SZ-STIC"]
    require(can_manage_policies(actor, seed_department))
    with transaction.atomic():
        documents_before = PolicyDocument.objects.filter(slug__isnull=False).count()
        parameters = _load_parameters(departments)
        documents = _load_documents(departments, UnitResolver())
        benefits = _load_benefits(departments, documents)
        added = {"documents": len(documents) - documents_before, "parameters": parameters, "benefits": benefits}
        audit_record(actor=actor, verb="policies.seed_loaded", obj=documents[SEED_POLICY_SLUG],
                     department=seed_department, params=added)
    return added
