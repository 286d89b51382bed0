"""Performance evaluation (绩效评价): progress reports on a schedule with reminders, KPI targets and actuals, the
evaluation outcome, clawback records (a negative row in the support ledger reversing the award)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.models import Award, Clawback, Kpi, LedgerKind, ProgressReport, SourceKind
from shuangchuang.programmes.permissions import ENTERPRISE_FILERS, can_act_as_applicant, can_officiate
from shuangchuang.programmes.services.common import fen_text, notify
from shuangchuang.programmes.services.ledger import support_ledger_record

OUTCOMES = ("excellent", "passed", "basically_passed", "failed")


def _department(award: Award):
    return award.application.call.programme.department


def report_submit(*, actor: Actor, report: ProgressReport, text: str) -> ProgressReport:
    require(can_act_as_applicant(actor, report.award.application))
    text = (text or "").strip()
    if len(text) < 20:
        raise ServiceError("text_required", _("Describe the progress (at least 20 characters)."), field="text")
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.submitted_at is not None:
            raise Conflict("already_submitted", _("This report is already submitted."))
        report.text, report.submitted_at = text[:10000], timezone.now()
        report.save()
        audit_record(actor=actor, verb="programmes.report_submitted", obj=report,
                     object_label=report.award.letter_number, department=_department(report.award),
                     params={"due_on": report.due_on})
    return report


def reports_remind(*, actor: Actor, on: datetime.date | None = None, days_before: int = 14) -> int:
    """Remind applicants of reports due within `days_before` days or overdue, once per report (a daily job)."""
    on = on or timezone.localdate()
    due = (ProgressReport.objects.filter(submitted_at__isnull=True, reminded_at__isnull=True,
                                         due_on__lte=on + datetime.timedelta(days=days_before))
           .select_related("award__application__organisation"))
    count = 0
    for report in due:
        application = report.award.application
        with transaction.atomic():
            notify(actor=actor, organisation=application.organisation, roles=ENTERPRISE_FILERS,
                   subject=_("Progress report due on %(date)s: %(title)s") % {"date": report.due_on.isoformat(),
                                                                             "title": application.project_title},
                   url=f"/programmes/applications/{application.pk}/")
            ProgressReport.objects.filter(pk=report.pk).update(reminded_at=timezone.now())
        count += 1
    return count


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        raise ServiceError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise ServiceError("invalid_number", _("Enter a number."), field=field)
    return number


def kpi_add(*, actor: Actor, award: Award, name: str, target, unit: str = "") -> Kpi:
    require(can_officiate(actor, award.application))
    name = (name or "").strip()
    if not name:
        raise ServiceError("name_required", _("Name the indicator."), field="name")
    target = _decimal(target, "target")
    with transaction.atomic():
        kpi = Kpi.objects.create(award=award, name=name[:120], unit=(unit or "").strip()[:24], target=target)
        audit_record(actor=actor, verb="programmes.kpi_added", obj=kpi, object_label=name[:200],
                     department=_department(award), params={"target": str(target)})
    return kpi


def kpi_actual_set(*, actor: Actor, kpi: Kpi, actual) -> Kpi:
    application = kpi.award.application
    if not (can_act_as_applicant(actor, application)[0] or can_officiate(actor, application)[0]):
        require(can_act_as_applicant(actor, application))
    actual = _decimal(actual, "actual")
    with transaction.atomic():
        kpi.actual = actual
        kpi.save(update_fields=["actual"])
        audit_record(actor=actor, verb="programmes.kpi_actual_set", obj=kpi, object_label=kpi.name,
                     department=_department(kpi.award), params={"actual": str(actual)})
    return kpi


def evaluation_record(*, actor: Actor, award: Award, outcome: str, note: str) -> Award:
    require(can_officiate(actor, award.application))
    if outcome not in OUTCOMES:
        raise ServiceError("invalid_outcome", _("Choose an outcome."), field="outcome")
    note = (note or "").strip()
    if not note:
        raise ServiceError("note_required", _("Write the reasons for the outcome."), field="note")
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        award.outcome, award.outcome_note, award.evaluated_at = outcome, note[:5000], timezone.now()
        award.save()
        audit_record(actor=actor, verb="programmes.evaluated", obj=award, object_label=award.letter_number,
                     department=_department(award), params={"outcome": outcome})
    return award


def _recoverable(award: Award):
    """(the ledger row a clawback reverses or None, the most that can be recovered in all). A call for innovative
    industrial space gives its support as the lease's rent discount: that row, up to the discount's value (nothing
    before a lease is taken); any other award: its own row, up to its amount."""
    if award.application.call.mechanism == "space_lease":
        from shuangchuang.programmes.models import Lease

        lease = (Lease.objects.filter(application_id=award.application_id, ledger_entry__isnull=False)
                 .select_related("ledger_entry__enterprise", "ledger_entry__clause").first())
        if lease is None:
            raise Conflict("no_support_yet", _("No lease has been taken up for this award: there is no support to "
                                               "recover."))
        return lease.ledger_entry, lease.discount_value_fen
    return award.ledger_entry, award.amount_fen


def clawback_record(*, actor: Actor, award: Award, amount_fen: int, reason: str) -> Clawback:
    """Decide to recover (part of) an award. The award's ledger row (for innovative industrial space: the row of
    the lease's rent discount) is reversed by the amount, so the yearly totals, the caps and the double-funding
    checks see the net support."""
    require(can_officiate(actor, award.application))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Give the reason for the clawback."), field="reason")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ServiceError("invalid_amount", _("Give the amount to recover, more than zero."), field="amount_fen")
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        row, limit = _recoverable(award)
        already = sum(c.amount_fen for c in award.clawbacks.all())
        if already + amount_fen > limit:
            raise ServiceError("over_award", _("At most %(left)s yuan of this award can still be recovered.")
                               % {"left": fen_text(limit - already)}, field="amount_fen")
        application = award.application
        entry = None if row is None else support_ledger_record(  # a person without employer: none
            actor=actor, enterprise=row.enterprise, source_kind=SourceKind.PROGRAMME,
            source_label=_("Clawback: %(label)s") % {"label": row.source_label},
            source_ref=f"{row.source_app}:{row.source_ref}" if row.source_app else
            f"programmes.application:{application.pk}", department=_department(award),
            amount_fen=-amount_fen, kind=LedgerKind.AWARDED, occurred_on=timezone.localdate(),
            project_key=application.project_key, clause=row.clause, reverses=row, note=reason[:300])
        clawback = Clawback.objects.create(award=award, amount_fen=amount_fen, reason=reason[:5000],
                                           decided_by=actor.label, ledger_entry=entry)
        audit_record(actor=actor, verb="programmes.clawback_recorded", obj=clawback,
                     object_label=award.letter_number, department=_department(award),
                     params={"amount_fen": amount_fen, "reason": reason[:500]})
    return clawback
