"""Lists, entries, restrictions and imports: the data officers of the issuing department keep."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.files import TEXT_TYPES, validate_upload
from shuangchuang.core.models import Organisation, OrganisationKind, User
from shuangchuang.core.services import notification_send
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.credit import importing
from shuangchuang.credit.models import (
    Action,
    CreditList,
    EntryStatus,
    ImportBatch,
    ImportStatus,
    Job,
    JobKind,
    ListEntry,
    ListKind,
    Restriction,
    RestrictionSubject,
    SubjectScope,
)
from shuangchuang.credit.permissions import can_create_list, can_edit_entry, can_manage_list
from shuangchuang.credit.services.common import (
    ENTRY_CONTENT_FIELDS,
    bump_versions,
    keep_revision,
    members_of,
    prepare_entry,
    save_keys,
)
from shuangchuang.registry.models import Enterprise

LIST_FIELDS = (
    "name", "name_en", "kind", "subjects", "description", "legal_basis", "listing_rules", "removal_rules",
    "is_public", "is_restrictive", "term_months", "repair_allowed", "repair_min_months", "repair_hides_entry",
    "escalate_to", "escalate_after_months", "is_active",
)


def _check_list_fields(values: dict[str, Any]) -> None:
    if "name" in values and not (values["name"] or "").strip():
        raise ServiceError("name_required", _("Give the list a name."), field="name")
    if "legal_basis" in values and not (values["legal_basis"] or "").strip():
        raise ServiceError("legal_basis_required", _("Name the legal basis of the list."), field="legal_basis")
    if "kind" in values and values["kind"] not in ListKind.values:
        raise ServiceError("invalid_kind", _("Unknown kind of list."), field="kind")
    if "subjects" in values and values["subjects"] not in SubjectScope.values:
        raise ServiceError("invalid_subjects", _("Unknown subjects."), field="subjects")
    for name in ("term_months", "repair_min_months", "escalate_after_months"):
        value = values.get(name)
        if value is not None and (not isinstance(value, int) or value < 0 or value > 1200):
            raise ServiceError("invalid_months", _("Write a whole number of months."), field=name)
    if values.get("repair_allowed") and values.get("repair_min_months") is None:
        raise ServiceError("repair_period_required",
                           _("Give the minimum publicity period before repair."), field="repair_min_months")


def list_create(*, actor: Actor, department: Organisation, code: str, name: str, legal_basis: str,
                **values: Any) -> CreditList:
    require(can_create_list(actor, department))
    if department.kind != OrganisationKind.DEPARTMENT:
        raise ServiceError("not_a_department", _("Lists are kept by departments."), field="department")
    code = slugify(code or "")[:48]
    if not code:
        raise ServiceError("code_required", _("Give the list a short code (letters, digits and hyphens)."),
                           field="code")
    unknown = set(values) - set(LIST_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    values = {"kind": ListKind.CUSTOM, **values, "name": name, "legal_basis": legal_basis}
    _check_list_fields(values)
    escalate_to = values.get("escalate_to")
    if escalate_to is not None and escalate_to.department_id != department.pk:
        raise ServiceError("escalate_other_department", _("A list escalates only to a list of the same department."),
                           field="escalate_to")
    credit_list = CreditList(code=code, department=department, **values)
    try:
        with transaction.atomic():
            credit_list.save()
            audit_record(actor=actor, verb="credit.list_created", obj=credit_list, department=department,
                         params={"code": code, "name": credit_list.name, "kind": credit_list.kind})
    except IntegrityError as exc:
        raise Conflict("list_exists", _("A list with this code already exists.")) from exc
    return credit_list


def list_update(*, actor: Actor, credit_list: CreditList, **values: Any) -> CreditList:
    require(can_manage_list(actor, credit_list))
    unknown = set(values) - set(LIST_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    merged = {name: getattr(credit_list, name) for name in LIST_FIELDS}
    merged.update(values)
    _check_list_fields(merged)
    escalate_to = merged.get("escalate_to")
    if escalate_to is not None and (escalate_to.department_id != credit_list.department_id
                                    or escalate_to.pk == credit_list.pk):
        raise ServiceError("escalate_other_department",
                           _("A list escalates only to another list of the same department."), field="escalate_to")
    changed = {}
    for name, value in values.items():
        before = getattr(credit_list, name)
        if before != value:
            changed[name] = {"before": str(before) if isinstance(before, CreditList) else before,
                             "after": str(value) if isinstance(value, CreditList) else value}
            setattr(credit_list, name, value)
    if not changed:
        return credit_list
    with transaction.atomic():
        credit_list.version += 1
        credit_list.save()
        audit_record(actor=actor, verb="credit.list_updated", obj=credit_list, department=credit_list.department,
                     params={"changed": changed, "version": credit_list.version})
    return credit_list


# ---- restrictions ----------------------------------------------------------------------------------------

def _check_restriction(values: dict[str, Any]) -> None:
    if values.get("action") not in Action.values:
        raise ServiceError("invalid_action", _("Unknown action."), field="action")
    if values.get("subject", RestrictionSubject.PARTY) not in RestrictionSubject.values:
        raise ServiceError("invalid_subject", _("Unknown subject of the restriction."), field="subject")
    if not isinstance(values.get("valid_from"), datetime.date):
        raise ServiceError("valid_from_required", _("Give the first day of the restriction."), field="valid_from")
    valid_to = values.get("valid_to")
    if valid_to is not None and valid_to < values["valid_from"]:
        raise ServiceError("valid_to_before_from", _("The last day cannot be before the first day."), field="valid_to")
    if not (values.get("legal_basis") or "").strip():
        raise ServiceError("legal_basis_required", _("Name the legal basis of the restriction."), field="legal_basis")
    duration = values.get("duration_months")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        raise ServiceError("invalid_months", _("Write a whole number of months."), field="duration_months")


def restriction_create(*, actor: Actor, credit_list: CreditList, action: str, valid_from: datetime.date,
                       legal_basis: str, valid_to: datetime.date | None = None,
                       subject: str = RestrictionSubject.PARTY, duration_months: int | None = None,
                       note: str = "") -> Restriction:
    require(can_manage_list(actor, credit_list))
    values = {"action": action, "valid_from": valid_from, "valid_to": valid_to, "legal_basis": legal_basis,
              "subject": subject, "duration_months": duration_months, "note": note}
    _check_restriction(values)
    with transaction.atomic():
        restriction = Restriction.objects.create(credit_list=credit_list, **values)
        bump_versions([credit_list.pk])
        audit_record(actor=actor, verb="credit.restriction_created", obj=restriction,
                     department=credit_list.department,
                     params={**values, "list": credit_list.code})
    return restriction


def restriction_update(*, actor: Actor, restriction: Restriction, **values: Any) -> Restriction:
    credit_list = restriction.credit_list
    require(can_manage_list(actor, credit_list))
    allowed = {"action", "valid_from", "valid_to", "legal_basis", "subject", "duration_months", "note"}
    unknown = set(values) - allowed
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    merged = {name: getattr(restriction, name) for name in allowed}
    merged.update(values)
    _check_restriction(merged)
    changed = {k: {"before": getattr(restriction, k), "after": v} for k, v in values.items()
               if getattr(restriction, k) != v}
    if not changed:
        return restriction
    with transaction.atomic():
        for name, value in values.items():
            setattr(restriction, name, value)
        restriction.save()
        bump_versions([credit_list.pk])
        audit_record(actor=actor, verb="credit.restriction_updated", obj=restriction,
                     department=credit_list.department, params={"changed": changed, "list": credit_list.code})
    return restriction


# ---- entries ---------------------------------------------------------------------------------------------

def _raw(values: dict[str, Any]) -> dict[str, str]:
    raw = {}
    for key, value in values.items():
        if isinstance(value, datetime.date):
            raw[key] = value.isoformat()
        elif value is None:
            raw[key] = ""
        else:
            raw[key] = str(value)
    return raw


def _first_error(row: importing.CheckedRow) -> ServiceError:
    first = row.errors[0]
    return ServiceError(first["code"], first["message"], field=first["column"] or None)


def _link_enterprises(entries: list[ListEntry]) -> None:
    codes = {e.uscc for e in entries if e.uscc and e.enterprise_id is None}
    if not codes:
        return
    found = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))
    for entry in entries:
        if entry.uscc in found and entry.enterprise_id is None:
            entry.enterprise_id = found[entry.uscc]


def _entry_from(credit_list: CreditList, data: dict[str, Any], source_key: str, **extra: Any) -> ListEntry:
    entry = ListEntry(credit_list=credit_list, source_key=source_key, is_public=True,
                      **{k: v for k, v in data.items() if k in ENTRY_CONTENT_FIELDS}, **extra)
    return prepare_entry(entry)


def _notify_party(*, actor: Actor, entry: ListEntry, subject: str, body: str) -> None:
    """Tell the listed party, when it is on the platform: the enterprise's people, or the person."""
    recipients: list[User] = []
    organisation = None
    if entry.subject_type == "person":
        if entry.id_number:
            recipients = list(User.objects.filter(id_number=entry.id_number, is_active=True))
    else:
        uscc = entry.uscc or (entry.enterprise.uscc if entry.enterprise_id else "")
        organisation = Organisation.objects.filter(code=uscc, kind=OrganisationKind.ENTERPRISE).first() if uscc \
            else None
        if organisation is not None:
            recipients = members_of(organisation, roles={"legal_rep", "admin", "staff"})
    if recipients:
        notification_send(actor=actor, recipients=recipients, subject=subject, body=body,
                          url="/credit/my/", organisation=organisation)


def entry_create(*, actor: Actor, credit_list: CreditList, **values: Any) -> ListEntry:
    """Add one entry by hand; the fields and checks are those of the import format (credit.importing)."""
    require(can_manage_list(actor, credit_list))
    unknown = set(values) - set(importing.COLUMNS)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    row = importing.check_row(1, _raw(values), subjects=credit_list.subjects, term_months=credit_list.term_months)
    if not row.ok:
        raise _first_error(row)
    data = {k: v for k, v in row.data.items() if k != "external_id"}
    entry = _entry_from(credit_list, data, row.source_key)
    _link_enterprises([entry])
    try:
        with transaction.atomic():
            entry.save()
            save_keys([entry])
            bump_versions([credit_list.pk])
            audit_record(actor=actor, verb="credit.entry_created", obj=entry, department=credit_list.department,
                         params={"list": credit_list.code, "name": entry.name, "uscc": entry.uscc,
                                 "listed_on": entry.listed_on})
            _notify_party(
                actor=actor, entry=entry,
                subject=_("%(name)s was put on the list %(list)s") % {"name": entry.name, "list": credit_list.name},
                body=_("Reason: %(reason)s\nListed on %(date)s by %(department)s.")
                % {"reason": entry.reason, "date": entry.listed_on, "department": credit_list.department.name},
            )
    except IntegrityError as exc:
        raise Conflict("entry_exists", _("This entry is already on the list.")) from exc
    return entry


def entry_update(*, actor: Actor, entry: ListEntry, **changes: Any) -> ListEntry:
    require(can_edit_entry(actor, entry))
    allowed = set(importing.COLUMNS) - {"external_id"}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(field)s.") % {"field": sorted(unknown)[0]})
    if entry.status != EntryStatus.ACTIVE:
        raise Conflict("entry_not_active", _("Only an entry that is listed can be changed."))
    credit_list = entry.credit_list
    current = {name: getattr(entry, name) for name in allowed}
    current.update(changes)
    row = importing.check_row(1, _raw(current), subjects=credit_list.subjects, term_months=None)
    if not row.ok:
        raise _first_error(row)
    changed = {name: {"before": getattr(entry, name), "after": row.data[name]}
               for name in allowed if name in row.data and getattr(entry, name) != row.data[name]}
    if not changed:
        return entry
    with transaction.atomic():
        keep_revision(entry, actor=actor, change="update")
        for name in changed:
            setattr(entry, name, row.data[name])
        prepare_entry(entry)
        _link_enterprises([entry])
        entry.version += 1
        entry.save()
        save_keys([entry], replace=True)
        bump_versions([credit_list.pk])
        audit_record(actor=actor, verb="credit.entry_updated", obj=entry, department=credit_list.department,
                     params={"changed": changed, "version": entry.version})
    return entry


def entry_remove(*, actor: Actor, entry: ListEntry, reason: str, on: datetime.date | None = None) -> ListEntry:
    """Take an entry off the list (duty met, obligation performed, decision revoked…); its history stays."""
    require(can_edit_entry(actor, entry))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why the entry is removed."), field="reason")
    if entry.status != EntryStatus.ACTIVE:
        raise Conflict("entry_not_active", _("This entry is not listed any more."))
    on = on or timezone.localdate()
    if on < entry.listed_on:
        raise ServiceError("removed_before_listed", _("An entry cannot be removed before it was listed."), field="on")
    with transaction.atomic():
        _remove(actor=actor, entry=entry, reason=reason, on=on, status=EntryStatus.REMOVED)
        audit_record(actor=actor, verb="credit.entry_removed", obj=entry, department=entry.credit_list.department,
                     params={"reason": reason, "on": on, "version": entry.version})
        _notify_party(
            actor=actor, entry=entry,
            subject=_("%(name)s was removed from the list %(list)s") % {"name": entry.name,
                                                                       "list": entry.credit_list.name},
            body=_("Removed on %(date)s: %(reason)s") % {"date": on, "reason": reason},
        )
    return entry


def _remove(*, actor: Actor, entry: ListEntry, reason: str, on: datetime.date, status: str,
            hide: bool = False) -> None:
    keep_revision(entry, actor=actor, change=status)
    entry.status = status
    entry.removed_on = on
    entry.removal_reason = reason[:200]
    if hide:
        entry.is_public = False
    entry.version += 1
    entry.save(update_fields=["status", "removed_on", "removal_reason", "is_public", "version", "updated_at"])
    bump_versions([entry.credit_list_id])


# ---- imports ---------------------------------------------------------------------------------------------

def _read_upload(upload) -> tuple[str, str, str]:
    from django.core.exceptions import ValidationError

    try:
        content_type = validate_upload(upload, allowed_types=TEXT_TYPES)
    except ValidationError as exc:
        raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field="file") from exc
    upload.seek(0)
    raw = upload.read()
    try:
        text = importing.decode(raw)
    except importing.ImportFileError as exc:
        raise ServiceError(exc.code, exc.message, field="file") from exc
    file_format = importing.detect_format(getattr(upload, "name", "") or "", content_type)
    return text, file_format, hashlib.sha256(raw).hexdigest()


def _check(credit_list: CreditList, text: str, file_format: str) -> list[importing.CheckedRow]:
    try:
        return importing.check_file(text, file_format, subjects=credit_list.subjects,
                                    term_months=credit_list.term_months)
    except importing.ImportFileError as exc:
        raise ServiceError(exc.code, exc.message, field="file") from exc


def list_import_check(*, actor: Actor, credit_list: CreditList, upload) -> ImportBatch:
    """Read and check an uploaded file; nothing is imported yet. The batch keeps the report per row."""
    require(can_manage_list(actor, credit_list))
    text, file_format, digest = _read_upload(upload)
    rows = _check(credit_list, text, file_format)
    errors = [e for row in rows for e in row.errors]
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            credit_list=credit_list, file_name=(getattr(upload, "name", "") or "upload")[:200],
            file_format=file_format, sha256=digest, content=text, total_rows=len(rows),
            valid_rows=sum(1 for r in rows if r.ok), errors=errors, created_by=actor.user,
        )
        audit_record(actor=actor, verb="credit.import_checked", obj=batch, department=credit_list.department,
                     params={"list": credit_list.code, "file": batch.file_name, "sha256": digest,
                             "rows": len(rows), "bad_rows": batch.bad_rows})
    return batch


def list_import_apply(*, actor: Actor, batch: ImportBatch, skip_bad_rows: bool = False,
                      rescreen: bool = True) -> ImportBatch:
    """Import a checked file. With errors nothing is imported unless the officer chose to skip the bad rows."""
    credit_list = batch.credit_list
    require(can_manage_list(actor, credit_list))
    if batch.status != ImportStatus.CHECKED:
        raise Conflict("import_not_pending", _("This file was already imported or set aside."))
    rows = _check(credit_list, batch.content, batch.file_format)
    bad = [r for r in rows if not r.ok]
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.CHECKED:
            raise Conflict("import_not_pending", _("This file was already imported or set aside."))
        if bad and not skip_bad_rows:
            batch.status = ImportStatus.REJECTED
            batch.errors = [e for r in bad for e in r.errors]
            batch.save(update_fields=["status", "errors"])
            audit_record(actor=actor, verb="credit.import_rejected", obj=batch, department=credit_list.department,
                         params={"list": credit_list.code, "bad_rows": len(bad)})
            return batch
        counts = _apply_rows(actor=actor, credit_list=credit_list, rows=[r for r in rows if r.ok], batch=batch)
        batch.status = ImportStatus.IMPORTED
        batch.applied_at = timezone.now()
        batch.skipped = len(bad)
        batch.created, batch.updated, batch.unchanged = counts
        batch.save()
        job = None
        if (batch.created or batch.updated) and rescreen:
            job = _rescreen_job(actor=actor, credit_list=credit_list, reason="import")
        audit_record(actor=actor, verb="credit.list_imported", obj=batch, department=credit_list.department,
                     params={"list": credit_list.code, "file": batch.file_name, "sha256": batch.sha256,
                             "created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged,
                             "skipped_bad_rows": batch.skipped, "rescreen_job": job.pk if job else None})
    return batch


def list_import(*, actor: Actor, credit_list: CreditList, upload, skip_bad_rows: bool = False,
                dry_run: bool = False, rescreen: bool = True) -> ImportBatch:
    """Check and, unless dry_run, import in one call (the API's use case)."""
    batch = list_import_check(actor=actor, credit_list=credit_list, upload=upload)
    if dry_run:
        return batch
    return list_import_apply(actor=actor, batch=batch, skip_bad_rows=skip_bad_rows, rescreen=rescreen)


def list_import_cancel(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    require(can_manage_list(actor, batch.credit_list))
    if batch.status != ImportStatus.CHECKED:
        raise Conflict("import_not_pending", _("This file was already imported or set aside."))
    with transaction.atomic():
        batch.status = ImportStatus.CANCELLED
        batch.content = ""
        batch.save(update_fields=["status", "content"])
        audit_record(actor=actor, verb="credit.import_cancelled", obj=batch, department=batch.credit_list.department)
    return batch


def _apply_rows(*, actor: Actor, credit_list: CreditList, rows: list[importing.CheckedRow],
                batch: ImportBatch | None) -> tuple[int, int, int]:
    created = updated = unchanged = 0
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        existing = {e.source_key: e for e in ListEntry.objects.filter(
            credit_list=credit_list, source_key__in=[r.source_key for r in chunk])}
        new_entries, changed_entries = [], []
        for row in chunk:
            data = {k: v for k, v in row.data.items() if k != "external_id"}
            if row.data.get("external_id"):
                data["extra"] = {"external_id": row.data["external_id"]}
            else:
                data["extra"] = {}
            entry = existing.get(row.source_key)
            if entry is None:
                new_entries.append(_entry_from(credit_list, data, row.source_key, import_batch=batch))
                continue
            differs = {k for k, v in data.items() if getattr(entry, k) != v}
            if not differs:
                unchanged += 1
                continue
            keep_revision(entry, actor=actor, change="import")
            for name in differs:
                setattr(entry, name, data[name])
            prepare_entry(entry)
            entry.version += 1
            entry.import_batch = batch
            changed_entries.append(entry)
        _link_enterprises(new_entries + changed_entries)
        if new_entries:
            ListEntry.objects.bulk_create(new_entries, batch_size=2000)
            save_keys(new_entries)
            created += len(new_entries)
        for entry in changed_entries:
            entry.save()
        if changed_entries:
            save_keys(changed_entries, replace=True)
            updated += len(changed_entries)
    if created or updated:
        bump_versions([credit_list.pk])
    return created, updated, unchanged


def _rescreen_job(*, actor: Actor, credit_list: CreditList | None, reason: str) -> Job:
    from shuangchuang.credit.tasks import rescreen_task

    job = Job.objects.create(
        kind=JobKind.RESCREEN, credit_list=credit_list,
        department=credit_list.department if credit_list else actor.department,
        created_by=actor.user, created_by_label=actor.label, params={"reason": reason},
    )
    enqueue_after_commit(rescreen_task, job.pk)
    return job
