"""Reads of the support ledger.

    support_total(*, enterprise: Enterprise, year: int, kind: str = "awarded", source_kind: str | None = None) -> int
        the net fen of the enterprise's rows of that kind dated in that calendar year (reversals included)
    project_funded(*, enterprise: Enterprise, project_key: str) -> bool
        whether any row (awarded, net > 0) exists for the enterprise and that project key
    support_counted(*, enterprise: Enterprise, year: int) -> int
        the support counted against a yearly cap: what was awarded, and — for a source that records only
        payments (vouchers) — what was paid; net of reversals (clawbacks, refunds), each reversal counted in the
        year of the row it reverses (support of 2026 clawed back in 2027 lowers 2026, and gives 2027 no room)
    ledger_for(*, enterprise: Enterprise) -> QuerySet[SupportLedgerEntry]
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from shuangchuang.programmes.models import LedgerKind, SupportLedgerEntry


def support_total(*, enterprise, year: int, kind: str = LedgerKind.AWARDED, source_kind: str | None = None) -> int:
    rows = SupportLedgerEntry.objects.filter(enterprise=enterprise, kind=kind, occurred_on__year=year)
    if source_kind:
        rows = rows.filter(source_kind=source_kind)
    return int(rows.aggregate(total=Sum("amount_fen"))["total"] or 0)


def support_counted(*, enterprise, year: int) -> int:
    rows = SupportLedgerEntry.objects.filter(
        Q(reverses__isnull=True, occurred_on__year=year) | Q(reverses__occurred_on__year=year), enterprise=enterprise)
    awarded_for_source = SupportLedgerEntry.objects.filter(
        enterprise=enterprise, kind=LedgerKind.AWARDED, source_app=OuterRef("source_app"),
        source_ref=OuterRef("source_ref"))
    awarded = rows.filter(kind=LedgerKind.AWARDED).aggregate(total=Sum("amount_fen"))["total"] or 0
    paid_only = (rows.filter(kind=LedgerKind.PAID).exclude(Exists(awarded_for_source))
                 .aggregate(total=Sum("amount_fen"))["total"] or 0)
    return int(awarded + paid_only)


def project_funded(*, enterprise, project_key: str, exclude_ref: tuple[str, str] | None = None) -> bool:
    project_key = (project_key or "").strip()
    if not project_key:
        return False
    rows = SupportLedgerEntry.objects.filter(enterprise=enterprise, project_key=project_key,
                                             kind=LedgerKind.AWARDED)
    if exclude_ref:
        rows = rows.exclude(source_app=exclude_ref[0], source_ref=exclude_ref[1])
    return (rows.aggregate(total=Sum("amount_fen"))["total"] or 0) > 0


def ledger_for(*, enterprise) -> QuerySet[SupportLedgerEntry]:
    return SupportLedgerEntry.objects.filter(enterprise=enterprise).select_related("department", "clause")
