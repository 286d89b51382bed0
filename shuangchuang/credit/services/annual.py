"""Annual reports (企业信息公示暂行条例 Art 8-9, 12, 17) and the scheduled work on the lists: listing late
filers on the abnormal-operation list, moving three-year unremedied entries to the serious-violation list, and
closing entries whose listing period has ended.

Schedule (cron, every day at 01:30 Asia/Shanghai; each step is idempotent and does nothing before its date):
    30 1 * * *  cd /srv/shuangchuang && .venv/bin/shuangchuang credit_daily
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.models import Membership, Organisation, OrganisationKind
from shuangchuang.core.services import notification_send
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.credit import selectors
from shuangchuang.credit.models import (
    ANNUAL_MONEY_FIELDS,
    AnnualReport,
    CreditList,
    EntryStatus,
    Job,
    JobKind,
    JobStatus,
    ListEntry,
    ListKind,
    OperatingStatus,
)
from shuangchuang.credit.permissions import can_file_annual_report, can_run_late_filers
from shuangchuang.credit.services.common import add_months, bump_versions, prepare_entry, save_keys
from shuangchuang.credit.services.lists import _notify_party, _remove
from shuangchuang.registry.models import Enterprise, EnterpriseStatus

log = logging.getLogger(__name__)
LATE_REPORT = "late_annual_report"
FIRST_REPORT_YEAR = 2013  # annual reports replaced annual inspection from the 2013 reporting year
CHUNK = 2000

MONEY_FIELDS = ANNUAL_MONEY_FIELDS
SIGNED_MONEY = {"owners_equity_fen", "total_profit_fen", "net_profit_fen"}
REPORT_FIELDS = ("address", "postcode", "phone", "email", "operating_status", "investments", "shareholders",
                 "equity_transfers", "websites", "publish_figures", "employees") + MONEY_FIELDS


def filing_deadline(year: int) -> datetime.date:
    """The report for a year is due by 30 June of the next year (Art 8)."""
    return datetime.date(year + 1, 6, 30)


def _check_report(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    data = {name: values.get(name) for name in REPORT_FIELDS}
    for name in ("address", "phone"):
        data[name] = (data[name] or "").strip()
        if not data[name]:
            raise ServiceError(f"{name}_required", _("This field is required."), field=name)
    data["postcode"] = (data["postcode"] or "").strip()
    if data["postcode"] and not re.fullmatch(r"\d{6}", data["postcode"]):
        raise ServiceError("invalid_postcode", _("A postcode has six digits."), field="postcode")
    data["email"] = (data["email"] or "").strip()
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError as exc:
            raise ServiceError("invalid_email", _("Enter a valid e-mail address."), field="email") from exc
    if data["operating_status"] not in OperatingStatus.values:
        raise ServiceError("invalid_status", _("Choose the operating status."), field="operating_status")
    for name in ("investments", "shareholders", "equity_transfers", "websites"):
        value = data[name] or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ServiceError("invalid_list", _("This must be a list of items."), field=name)
        data[name] = value
    for item in data["shareholders"]:
        if not str(item.get("name", "")).strip():
            raise ServiceError("shareholder_name_required", _("Every shareholder needs a name."), field="shareholders")
        for key in ("subscribed_fen", "paid_fen"):
            amount = item.get(key)
            if amount is not None and (not isinstance(amount, int) or amount < 0):
                raise ServiceError("invalid_amount", _("Amounts are whole fen and never negative."),
                                   field="shareholders")
    data["publish_figures"] = bool(data["publish_figures"])
    employees = data["employees"]
    if employees is not None and (not isinstance(employees, int) or employees < 0):
        raise ServiceError("invalid_employees", _("Write the number of employees."), field="employees")
    for name in MONEY_FIELDS:
        amount = data[name]
        if amount is None:
            continue
        if not isinstance(amount, int) or (amount < 0 and name not in SIGNED_MONEY):
            raise ServiceError("invalid_amount", _("Amounts are whole fen and never negative."), field=name)
    return data


def annual_report_file(*, actor: Actor, enterprise: Enterprise, year: int, on: datetime.date | None = None,
                       **values: Any) -> AnnualReport:
    """File (or, until 30 June, correct) the annual report for a year. A correction is a new version; the old
    version stays visible. Filing a report that was late takes the enterprise off the abnormal-operation list
    for that year (the duty is met)."""
    require(can_file_annual_report(actor, enterprise))
    on = on or timezone.localdate()
    if not isinstance(year, int) or year >= on.year or year < FIRST_REPORT_YEAR:
        raise ServiceError("invalid_year", _("The report for a year is filed from 1 January of the next year."),
                           field="year")
    if enterprise.founded_on and enterprise.founded_on.year > year:
        raise ServiceError("not_yet_due", _("An enterprise set up in %(year)d files its first report in %(next)d.")
                           % {"year": enterprise.founded_on.year, "next": enterprise.founded_on.year + 1}, field="year")
    if enterprise.status != EnterpriseStatus.OPERATING and enterprise.status not in (EnterpriseStatus.SUSPENDED,
                                                                                     EnterpriseStatus.LIQUIDATING):
        raise Conflict("not_operating", _("This enterprise is no longer registered as operating."))
    data = _check_report(values)
    deadline = filing_deadline(year)
    with transaction.atomic():
        previous = (AnnualReport.objects.select_for_update()
                    .filter(enterprise=enterprise, year=year).order_by("-version").first())
        if previous is not None and on > deadline:
            raise Conflict("correction_closed", _("Corrections of the %(year)d report were possible until %(date)s.")
                           % {"year": year, "date": deadline.isoformat()})
        report = AnnualReport.objects.create(
            enterprise=enterprise, year=year, version=previous.version + 1 if previous else 1, is_current=True,
            filed_at=timezone.now() if on == timezone.localdate() else timezone.make_aware(
                datetime.datetime.combine(on, datetime.time(10, 0))),
            filed_by=actor.user, late=(previous.late if previous else on > deadline), **data,
        )
        if previous is not None:
            AnnualReport.objects.filter(enterprise=enterprise, year=year).exclude(pk=report.pk).update(is_current=False)
        removed = []
        if previous is None:
            for entry in ListEntry.objects.select_related("credit_list", "enterprise").filter(
                    credit_list__kind=ListKind.ABNORMAL_OPERATION, status=EntryStatus.ACTIVE,
                    uscc=enterprise.uscc, extra__reason_code=LATE_REPORT, extra__year=year):
                _remove(actor=actor, entry=entry, on=on, status=EntryStatus.REMOVED,
                        reason=_("The %(year)d annual report was filed on %(date)s.") % {"year": year, "date": on})
                removed.append(entry.pk)
        audit_record(
            actor=actor, verb="credit.annual_report_corrected" if previous else "credit.annual_report_filed",
            obj=report, object_label=f"{enterprise.name} {year}", department=enterprise.registration_authority,
            params={"year": year, "version": report.version, "late": report.late, "removed_entries": removed},
        )
    return report


# ---- late filers -----------------------------------------------------------------------------------------

def abnormal_list() -> CreditList | None:
    return (CreditList.objects.select_related("department").filter(code="abnormal-operation", is_active=True).first()
            or CreditList.objects.select_related("department")
            .filter(kind=ListKind.ABNORMAL_OPERATION, is_active=True).order_by("pk").first())


def overdue_year(on: datetime.date) -> int | None:
    """The report year whose deadline has passed on this day and is the latest such year."""
    return on.year - 1 if on > filing_deadline(on.year - 1) else on.year - 2


def late_filers_start(*, actor: Actor, on: datetime.date | None = None, year: int | None = None,
                      enqueue: bool = True) -> Job:
    """List every operating enterprise that has not filed its report for the year by 30 June on the
    abnormal-operation list, and notify those on the platform (in the background, with progress)."""
    credit_list = abnormal_list()
    if credit_list is None:
        raise ServiceError("no_abnormal_list", _("There is no abnormal-operation list."))
    require(can_run_late_filers(actor, credit_list))
    on = on or timezone.localdate()
    year = year if year is not None else overdue_year(on)
    if on <= filing_deadline(year):
        raise ServiceError("not_late_yet", _("Reports for %(year)d are due by %(date)s; nobody is late yet.")
                           % {"year": year, "date": filing_deadline(year).isoformat()}, field="year")
    with transaction.atomic():
        job = Job.objects.create(kind=JobKind.LATE_FILERS, credit_list=credit_list, department=credit_list.department,
                                 created_by=actor.user, created_by_label=actor.label,
                                 params={"on": on.isoformat(), "year": year})
        audit_record(actor=actor, verb="credit.late_filers_started", obj=job, department=credit_list.department,
                     params={"year": year, "on": on})
        if enqueue:
            from shuangchuang.credit.tasks import late_filers_task

            enqueue_after_commit(late_filers_task, job.pk)
    return job


def _late_candidates(year: int):
    reports = AnnualReport.objects.filter(enterprise=OuterRef("pk"), year=year)
    return (Enterprise.objects.filter(status=EnterpriseStatus.OPERATING, founded_on__lte=datetime.date(year, 12, 31))
            .exclude(Exists(reports)).order_by("pk"))


def late_filers_run(job_id: int) -> Job:
    job = selectors.job_by_id(job_id)
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job
    credit_list = job.credit_list
    on = datetime.date.fromisoformat(job.params["on"])
    year = job.params["year"]
    actor = Actor.system("credit-late-filers")
    candidates = _late_candidates(year)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                         total=candidates.count())
    listed = notified = processed = 0
    last_pk = 0
    reason = "未按照《企业信息公示暂行条例》规定的期限公示%d年度报告" % year
    try:
        while True:
            chunk = list(candidates.filter(pk__gt=last_pk).select_related("legal_representative")[:CHUNK])
            if not chunk:
                break
            last_pk = chunk[-1].pk
            keys = {f"late-report-{year}-{e.uscc}": e for e in chunk}
            existing = set(ListEntry.objects.filter(credit_list=credit_list, source_key__in=list(keys))
                           .values_list("source_key", flat=True))
            entries = []
            for source_key, enterprise in keys.items():
                if source_key in existing:
                    continue
                rep = enterprise.legal_representative
                entries.append(prepare_entry(ListEntry(
                    credit_list=credit_list, subject_type="enterprise", name=enterprise.name, uscc=enterprise.uscc,
                    old_registration_number=enterprise.old_registration_number or "",
                    legal_representative=rep.name if rep else "",
                    legal_representative_id_number=rep.id_number if rep else "",
                    reason=reason, authority=credit_list.department.name, listed_on=on,
                    expires_on=add_months(on, credit_list.term_months) if credit_list.term_months else None,
                    extra={"reason_code": LATE_REPORT, "year": year}, source_key=source_key,
                    enterprise=enterprise,
                )))
            with transaction.atomic():
                if entries:
                    ListEntry.objects.bulk_create(entries, batch_size=CHUNK)
                    save_keys(entries)
                    bump_versions([credit_list.pk])
                    audit_record(actor=actor, verb="credit.late_filers_listed", obj=job,
                                 department=credit_list.department,
                                 params={"year": year, "listed": len(entries),
                                         "usccs": [e.uscc for e in entries][:50]})
                    notified += _notify_late(actor, entries, year)
            listed += len(entries)
            processed += len(chunk)
            Job.objects.filter(pk=job.pk).update(processed=processed, hits=listed)
        summary = {"year": year, "on": on.isoformat(), "listed": listed, "notified_enterprises": notified}
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now(), summary=summary,
                                                 processed=processed, hits=listed)
            job.refresh_from_db()
            audit_record(actor=actor, verb="credit.late_filers_finished", obj=job, department=credit_list.department,
                         params=summary)
    except Exception as exc:
        log.exception("late filers job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                             finished_at=timezone.now())
        job.refresh_from_db()
    return job


def _notify_late(actor: Actor, entries: list[ListEntry], year: int) -> int:
    by_code = {e.uscc: e for e in entries}
    organisations = Organisation.objects.filter(code__in=list(by_code), kind=OrganisationKind.ENTERPRISE)
    members: dict[int, list] = {}
    for membership in Membership.objects.filter(organisation__in=organisations, is_active=True,
                                                role__in=["legal_rep", "admin", "staff"],
                                                user__is_active=True).select_related("user"):
        members.setdefault(membership.organisation_id, []).append(membership.user)
    count = 0
    for organisation in organisations:
        recipients = list({u.pk: u for u in members.get(organisation.pk, [])}.values())
        if not recipients:
            continue
        notification_send(
            actor=actor, recipients=recipients, organisation=organisation, url="/credit/my/",
            subject=_("%(name)s was put on the abnormal-operation list") % {"name": organisation.name},
            body=_("The annual report for %(year)d was not filed by %(date)s. File it online; the enterprise leaves "
                   "the list for that year once the report is filed.")
            % {"year": year, "date": filing_deadline(year).isoformat()},
        )
        count += 1
    return count


# ---- escalation and expiry -------------------------------------------------------------------------------

def lists_escalate(*, actor: Actor, on: datetime.date | None = None) -> int:
    """Move entries unremedied for the list's period (3 years on the abnormal-operation list) to the list they
    escalate to (the serious-violation list), with the enterprise's legal representative, for the target's
    listing period (5 years)."""
    on = on or timezone.localdate()
    created = 0
    for source in CreditList.objects.filter(escalate_to__isnull=False, escalate_after_months__isnull=False,
                                            is_active=True).select_related("escalate_to", "department"):
        target = source.escalate_to
        require(can_run_late_filers(actor, source))
        cutoff = add_months(on, -source.escalate_after_months)
        already = ListEntry.objects.filter(credit_list=target, escalated_from=OuterRef("pk"))
        due = (ListEntry.objects.filter(credit_list=source, status=EntryStatus.ACTIVE, listed_on__lte=cutoff)
               .exclude(Exists(already)).select_related("enterprise__legal_representative").order_by("pk"))
        last_pk = 0
        while True:
            chunk = list(due.filter(pk__gt=last_pk)[:CHUNK])
            if not chunk:
                break
            last_pk = chunk[-1].pk
            entries = []
            for entry in chunk:
                rep = entry.enterprise.legal_representative if entry.enterprise_id else None
                entries.append(prepare_entry(ListEntry(
                    credit_list=target, subject_type=entry.subject_type, name=entry.name, uscc=entry.uscc,
                    org_code=entry.org_code, old_registration_number=entry.old_registration_number,
                    legal_representative=rep.name if rep else entry.legal_representative,
                    legal_representative_id_number=rep.id_number if rep else entry.legal_representative_id_number,
                    reason="列入%s满%d个月仍未履行相关义务（原因：%s）" % (source.name, source.escalate_after_months,
                                                            entry.reason[:200]),
                    authority=target.department.name, listed_on=on,
                    expires_on=add_months(on, target.term_months) if target.term_months else None,
                    source_key=f"escalated-{entry.pk}", escalated_from=entry, enterprise_id=entry.enterprise_id,
                    extra={"reason_code": "escalated", "from_list": source.code, "from_entry": entry.pk},
                )))
            with transaction.atomic():
                ListEntry.objects.bulk_create(entries, batch_size=CHUNK)
                save_keys(entries)
                bump_versions([target.pk])
                audit_record(actor=actor, verb="credit.entries_escalated", obj=target, department=target.department,
                             params={"from": source.code, "count": len(entries), "on": on,
                                     "entries": [e.escalated_from_id for e in entries][:50]})
                for entry in entries:
                    _notify_party(actor=actor, entry=entry,
                                  subject=_("%(name)s was put on the list %(list)s") % {"name": entry.name,
                                                                                        "list": target.name},
                                  body=entry.reason)
            created += len(entries)
    return created


def entries_expire(*, actor: Actor, on: datetime.date | None = None) -> int:
    """Close the entries whose listing period ended (their in-force dates already say so; this sets the status
    shown on pages and raises the list versions)."""
    on = on or timezone.localdate()
    due = ListEntry.objects.filter(status=EntryStatus.ACTIVE, expires_on__lte=on)
    with transaction.atomic():
        list_ids = set(due.values_list("credit_list_id", flat=True).distinct())
        count = due.update(status=EntryStatus.EXPIRED, removed_on=None, removal_reason="")
        if count:
            bump_versions(list_ids)
            audit_record(actor=actor, verb="credit.entries_expired", object_type="credit.listentry",
                         object_label=f"{count} entries", params={"count": count, "on": on, "lists": sorted(list_ids)})
    return count
