"""Approved answers (FAQ) for the policy assistant: officers write them, approve them and withdraw them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.policies.models import Faq, FaqStatus, PolicyPart
from shuangchuang.policies.permissions import can_curate_faq, can_manage_policies
from shuangchuang.policies.search import search_text


def _user(actor: Actor):
    return actor.user if actor.user is not None and actor.user.pk else None


def faq_create(*, actor: Actor, department, question: str, answer: str, citations: list[PolicyPart] = ()) -> Faq:
    """A draft answer; it takes effect in the assistant once approved."""
    require(can_manage_policies(actor, department))
    question, answer = (question or "").strip(), (answer or "").strip()
    if len(question) < 4:
        raise ServiceError("question_required", _("Write the question as people ask it."), field="question")
    if not answer:
        raise ServiceError("answer_required", _("Write the approved answer."), field="answer")
    citations = list(citations)
    if not citations:
        raise ServiceError("citation_required", _("Cite at least one part of a policy the answer rests on."),
                           field="citations")
    with transaction.atomic():
        faq = Faq.objects.create(question=question[:300], answer=answer, department=department,
                                 created_by=_user(actor), search_text=search_text(question))
        faq.citations.set(citations)
        audit_record(actor=actor, verb="policies.faq_created", obj=faq, department=department,
                     params={"question": question[:300], "citations": [p.pk for p in citations]})
    return faq


def faq_approve(*, actor: Actor, faq: Faq) -> Faq:
    require(can_curate_faq(actor, faq))
    if faq.status == FaqStatus.APPROVED:
        raise Conflict("already_approved", _("This answer is already approved."))
    with transaction.atomic():
        faq.status = FaqStatus.APPROVED
        faq.approved_by = _user(actor)
        faq.approved_at = timezone.now()
        faq.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit_record(actor=actor, verb="policies.faq_approved", obj=faq, department=faq.department)
    return faq


def faq_withdraw(*, actor: Actor, faq: Faq) -> Faq:
    require(can_curate_faq(actor, faq))
    if faq.status == FaqStatus.WITHDRAWN:
        raise Conflict("already_withdrawn", _("This answer is already withdrawn."))
    with transaction.atomic():
        faq.status = FaqStatus.WITHDRAWN
        faq.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, verb="policies.faq_withdrawn", obj=faq, department=faq.department)
    return faq
