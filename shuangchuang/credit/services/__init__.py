"""Write use cases of the credit module, one keyword-only function each (see the sub-modules).

Other modules import from here: `from shuangchuang.credit.services import screening_run, Party`.
"""

from shuangchuang.credit.matching import Party
from shuangchuang.credit.services.annual import (
    annual_report_file,
    entries_expire,
    late_filers_run,
    late_filers_start,
    lists_escalate,
)
from shuangchuang.credit.services.jobs import bulk_screen_run, bulk_screen_start, rescreen_run, rescreen_start
from shuangchuang.credit.services.lists import (
    entry_create,
    entry_remove,
    entry_update,
    list_create,
    list_import,
    list_import_apply,
    list_import_cancel,
    list_import_check,
    list_update,
    restriction_create,
    restriction_update,
)
from shuangchuang.credit.services.repair import REPAIR_WORKFLOW, repair_apply, repair_transition
from shuangchuang.credit.services.screening import ScreeningResult, adjudication_record, screening_run

__all__ = [
    "Party", "ScreeningResult", "REPAIR_WORKFLOW",
    "annual_report_file", "entries_expire", "late_filers_run", "late_filers_start", "lists_escalate",
    "bulk_screen_run", "bulk_screen_start", "rescreen_run", "rescreen_start",
    "entry_create", "entry_remove", "entry_update", "list_create", "list_import", "list_import_apply",
    "list_import_cancel", "list_import_check", "list_update", "restriction_create", "restriction_update",
    "repair_apply", "repair_transition", "adjudication_record", "screening_run",
]
