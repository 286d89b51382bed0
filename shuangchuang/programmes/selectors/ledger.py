"""Reads of the support ledger.

    support_total(*, enterprise: Enterprise, year: int, kind: str = "awarded", source_kind: str | None = None) -> int
        the net fen of the enterprise's rows of that kind dated in that calendar year (reversals included)
    project_funded(*, enterprise: Enterprise, project_key: str) -> bool
        whether any row (awarded, net > 0) exists for the enterprise and that project key
    ledger_for(*, enterprise: Enterprise) -> QuerySet[SupportLedgerEntry]
"""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from shuangchuang.programmes.models import LedgerKind, SupportLedgerEntry


def support_total(*, enterprise, year: int, kind: str = LedgerKind.AWARDED, source_kind: str | None = None) -> int:
    rows = SupportLedgerEntry.objects.filter(enterprise=enterprise, kind=kind, occurred_on__year=year)
    if source_kind:
        rows = rows.filter(source_kind=source_kind)
    return int(rows.aggregate(total=Sum("amount_fen"))["total"] or 0)


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
