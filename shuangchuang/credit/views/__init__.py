"""Credit pages: public search, lists, credit records and screening (`public`); the enterprise's own credit — annual
reports, repair (`mine`); officers' work — lists, entries, restrictions, imports, jobs, bulk screening, repair review
(`manage`).

Views parse input, call one service or selector, render. Services raise ServiceError; views show its message.
"""

from shuangchuang.credit.views.manage import (
    bulk,
    entry_manage,
    entry_new,
    entry_remove_view,
    evidence_list,
    import_detail,
    import_upload,
    job,
    job_progress,
    job_results_csv,
    late_filers,
    list_edit,
    list_manage,
    list_new,
    manage,
    repair_review,
    repairs,
    rescreen,
    restriction_edit,
    restriction_new,
)
from shuangchuang.credit.views.mine import annual_report, my_credit, repair_document, repair_mine, repair_new
from shuangchuang.credit.views.public import (
    adjudicate,
    enterprise,
    evidence,
    import_format,
    index,
    list_detail,
    lists,
    screen,
)

__all__ = [
    "adjudicate", "annual_report", "bulk", "enterprise", "entry_manage", "entry_new", "entry_remove_view",
    "evidence", "evidence_list", "import_detail", "import_format", "import_upload", "index", "job", "job_progress",
    "job_results_csv", "late_filers", "list_detail", "list_edit", "list_manage", "list_new", "lists", "manage",
    "my_credit", "repair_document", "repair_mine", "repair_new", "repair_review", "repairs", "rescreen",
    "restriction_edit", "restriction_new", "screen",
]
