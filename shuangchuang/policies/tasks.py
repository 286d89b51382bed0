"""Background tasks of the policies module (django-tasks; immediate in tests)."""

from __future__ import annotations

from django_tasks import task

from shuangchuang.core.actor import Actor


@task()
def start_benefit_push(benefit_id: int, reason: str = "published") -> int | None:
    from shuangchuang.policies.models import Benefit
    from shuangchuang.policies.services.matching import benefit_push_start

    benefit = Benefit.objects.select_related("document", "department").filter(pk=benefit_id).first()
    if benefit is None or benefit.status != "published" or benefit.document.status != "published":
        return None
    return benefit_push_start(actor=Actor.system("policies-push"), benefit=benefit, reason=reason).pk


@task()
def start_document_pushes(document_id: int) -> list[int]:
    from shuangchuang.policies.models import PolicyDocument
    from shuangchuang.policies.services.matching import push_document_benefits

    document = PolicyDocument.objects.filter(pk=document_id, status="published").first()
    if document is None:
        return []
    return [p.pk for p in push_document_benefits(actor=Actor.system("policies-push"), document=document)]


@task()
def run_benefit_push(push_id: int) -> str:
    """Run a push chunk by chunk; each chunk is its own transaction, so progress is visible while it runs."""
    from shuangchuang.policies.models import BenefitPush, PushStatus
    from shuangchuang.policies.services.matching import benefit_push_chunk, push_fail

    actor = Actor.system("policies-push")
    push = BenefitPush.objects.select_related("benefit", "benefit__department").filter(pk=push_id).first()
    if push is None:
        return "missing"
    try:
        while push.status not in (PushStatus.DONE, PushStatus.FAILED):
            push = benefit_push_chunk(actor=actor, push=push)
    except Exception as exc:  # record the failure on the push so the officer sees it
        push_fail(actor=actor, push=push, error=f"{type(exc).__name__}: {exc}")
        raise
    return push.status
