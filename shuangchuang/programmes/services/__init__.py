"""Write use cases of the programmes module, one keyword-only function each. Other modules import from here.

Support ledger (shared with the vouchers module):

    support_ledger_record(*, actor: Actor, enterprise: Enterprise, source_kind: str, source_label: str,
                          source_ref: str, department: Organisation, amount_fen: int, kind: str,
                          occurred_on: datetime.date, project_key: str = "", clause: PolicyPart | None = None,
                          reverses: SupportLedgerEntry | None = None, note: str = "") -> SupportLedgerEntry

  source_kind "programme" | "voucher" | "other"; kind "awarded" | "paid"; source_ref "<app>.<model>:<pk>";
  amount_fen > 0, or < 0 with reverses=<row> (never edits). Audited; call it inside your transaction.

Selectors (shuangchuang.programmes.selectors):

    support_total(*, enterprise, year: int, kind: str = "awarded", source_kind: str | None = None) -> int
    project_funded(*, enterprise, project_key: str) -> bool

Applications: the workflow table WORKFLOW and the one transition function
    application_transition(*, actor, application, transition: str, note: str = "", amount_fen: int | None = None)
A talent call may be applied for by a natural person (`Call.person_applicants`; see checks.person_eligibility
and awards._ledger_row for the employer's ledger).

Innovative industrial space (services.space): OFFER_WORKFLOW and lease_offer_make / lease_offer_transition /
lease_offers_lapse; services.leases: lease_offers_round (the spaces to the awarded applications in rank
order) and the Lease an accepted offer records (its discount in the ledger, the application completed through
'lease_taken'). Loan-interest subsidies (services.interest): loan_interest_subsidy (pure computation).
Milestones as payment conditions (services.milestones): milestone_report, milestone_accept,
instalment_milestones_set.
"""

from shuangchuang.programmes.services.applications import (
    WORKFLOW,
    FormErrors,
    application_create,
    application_file_add,
    application_file_remove,
    application_save,
    application_transition,
    transitions_for,
)
from shuangchuang.programmes.services.awards import (
    agreement_sign,
    instalment_pay,
    milestone_done,
    notice_publish,
    objection_resolve,
    objection_submit,
)
from shuangchuang.programmes.services.calls import (
    call_create,
    call_form_update,
    call_publish,
    call_update,
    programme_create,
    programme_update,
)
from shuangchuang.programmes.services.leases import lease_offers_round
from shuangchuang.programmes.services.ledger import support_ledger_record
from shuangchuang.programmes.services.milestones import instalment_milestones_set, milestone_accept, milestone_report
from shuangchuang.programmes.services.space import (
    OFFER_WORKFLOW,
    lease_offer_make,
    lease_offer_transition,
    lease_offers_lapse,
)
from shuangchuang.programmes.services.performance import (
    clawback_record,
    evaluation_record,
    kpi_actual_set,
    kpi_add,
    report_submit,
    reports_remind,
)
from shuangchuang.programmes.services.review import (
    call_rank,
    conflict_declare,
    expert_profile_set,
    overdue_reminders_send,
    review_submit,
    reviewers_assign,
    site_visit_record,
)

__all__ = [
    "OFFER_WORKFLOW", "lease_offers_round", "instalment_milestones_set", "milestone_accept", "milestone_report", "lease_offer_make", "lease_offer_transition", "lease_offers_lapse",
    "WORKFLOW", "FormErrors", "agreement_sign", "application_create", "application_file_add",
    "application_file_remove", "application_save", "application_transition", "call_create", "call_form_update",
    "call_publish", "call_rank", "call_update", "clawback_record", "conflict_declare", "evaluation_record",
    "expert_profile_set", "instalment_pay", "kpi_actual_set", "kpi_add", "milestone_done", "notice_publish",
    "objection_resolve", "objection_submit", "overdue_reminders_send", "programme_create", "programme_update",
    "report_submit", "reports_remind", "review_submit", "reviewers_assign", "site_visit_record",
    "support_ledger_record", "transitions_for",
]
