"""Reads of the programmes module.

    support_total(*, enterprise, year: int, kind: str = "awarded", source_kind: str | None = None) -> int
    project_funded(*, enterprise, project_key: str) -> bool
    support_counted(*, enterprise, year: int) -> int      (awarded + paid where nothing was awarded: vouchers)
    ledger_for(*, enterprise) -> QuerySet[SupportLedgerEntry]
"""

from shuangchuang.programmes.selectors.ledger import ledger_for, project_funded, support_counted, support_total

__all__ = ["ledger_for", "project_funded", "support_counted", "support_total"]
