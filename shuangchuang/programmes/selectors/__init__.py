"""Reads of the programmes module.

    support_total(*, enterprise, year: int, kind: str = "awarded", source_kind: str | None = None) -> int
    project_funded(*, enterprise, project_key: str) -> bool
    ledger_for(*, enterprise) -> QuerySet[SupportLedgerEntry]
"""

from shuangchuang.programmes.selectors.ledger import ledger_for, project_funded, support_total

__all__ = ["ledger_for", "project_funded", "support_total"]
