"""Background screening: re-screen every registered enterprise when a list changes, and bulk screening of an
uploaded file of parties. Starting a job is a use case (one transaction, one audit event, the task queued after
commit); the task then works in chunks, each in its own transaction, and records its progress on the Job row."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import multiprocessing
from collections import defaultdict

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import ServiceError, require
from shuangchuang.core.files import TEXT_TYPES, validate_upload
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.credit import importing, lookup, selectors
from shuangchuang.credit.matching import (
    REVIEW,
    Party,
    Query,
    build_query,
    namesake_names,
    score_entry,
    yield_to_namesakes,
)
from shuangchuang.credit.models import (
    Action,
    Adjudication,
    AdjudicationDecision,
    BulkRow,
    CreditList,
    EnterpriseKey,
    EnterpriseKeyState,
    Job,
    JobKind,
    JobStatus,
    ListEntry,
    RescreenHit,
    ScreeningEvidence,
)
from shuangchuang.credit.permissions import can_manage_list, can_screen_bulk
from shuangchuang.credit.services.screening import clean_party, query_for, registered_usccs, screen
from shuangchuang.registry.models import Enterprise

log = logging.getLogger(__name__)
RESCREEN_CHUNK = 10000  # a range of enterprise primary keys
KEY_BATCH = 5000
BULK_MAX_ROWS = 20_000
LINK_SCORE = 0.96


# ---- re-screen -------------------------------------------------------------------------------------------

def rescreen_start(*, actor: Actor, credit_list: CreditList | None = None, near: bool = True) -> Job:
    """Re-screen every registered enterprise against one list (or all lists), in the background."""
    if credit_list is not None:
        require(can_manage_list(actor, credit_list))
    else:
        require(can_screen_bulk(actor))
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.RESCREEN, credit_list=credit_list,
            department=credit_list.department if credit_list else actor.department,
            created_by=actor.user, created_by_label=actor.label, params={"reason": "manual", "near": near},
        )
        audit_record(actor=actor, verb="credit.rescreen_started", obj=job,
                     department=job.department, params={"list": credit_list.code if credit_list else None})
        from shuangchuang.credit.tasks import rescreen_task

        enqueue_after_commit(rescreen_task, job.pk)
    return job


def _enterprise_query(uscc: str, name: str, old_reg: str, near: bool) -> tuple[Query, set[str]]:
    # a registered enterprise is not matched against persons' names
    query = build_query(Party(name=name, uscc=uscc, old_registration_number=old_reg or ""), persons=False)
    keys = query.keys()
    if not near:
        keys = {k for k in keys if not k.startswith("d:")}
    return query, keys


def rescreen_processes() -> int:
    """Worker processes of a re-screen: settings.CREDIT_RESCREEN_PROCESSES (default 1) on PostgreSQL; one on
    SQLite, whose writers serialise anyway."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, int(getattr(settings, "CREDIT_RESCREEN_PROCESSES", 1)))


def rescreen_run(job_id: int, *, processes: int | None = None) -> Job:
    """The task body: stream the register in chunks (in slices of the primary key, one per worker process), find
    each enterprise's hits, record them and the progress the officer watches."""
    job = selectors.job_by_id(job_id)
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job
    near = job.params.get("near", True)
    on = timezone.localdate()
    bounds = Enterprise.objects.aggregate(low=Min("pk"), high=Max("pk"), count=Count("pk"))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), total=bounds["count"],
                                         processed=0, hits=0)
    actor = Actor.system("credit-rescreen")
    processes = processes or rescreen_processes()
    try:
        results = []
        if bounds["count"]:
            low, high = bounds["low"] - 1, bounds["high"]
            step = (high - low) // processes + 1
            slices = [(job.pk, low + i * step, min(high, low + (i + 1) * step), on, near) for i in range(processes)]
            if processes > 1:
                connections.close_all()  # each forked process opens its own connection
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    results = pool.starmap(_rescreen_slice, slices)
            else:
                results = [_rescreen_slice(*slices[0])]
        processed = sum(r[0] for r in results)
        hits_total = sum(r[1] for r in results)
        linked_total = sum(r[2] for r in results)
        with transaction.atomic():
            summary = {"enterprises": processed, "hits": hits_total, "linked_entries": linked_total,
                       "keys_refreshed": sum(r[3] for r in results),
                       "list_versions": lookup.lists_snapshot().versions, "on": on.isoformat(),
                       "processes": processes, "near_names": near}
            Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now(), summary=summary,
                                                 processed=processed, hits=hits_total)
            job.refresh_from_db()
            audit_record(actor=actor, verb="credit.rescreen_finished", obj=job, department=job.department,
                         params=summary)
    except Exception as exc:  # the officer sees that the job failed and why
        log.exception("re-screen job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                             finished_at=timezone.now())
        job.refresh_from_db()
    return job


def enterprise_keys_refresh(*, after_pk: int = 0, last_pk: int | None = None, chunk: int = 5000) -> int:
    """Compute the look-up keys of every enterprise that is new or changed (updated_at) since its keys were
    computed, in the primary-key range (after_pk, last_pk]. Derived data: no audit event. Returns how many."""
    stale = Enterprise.objects.filter(
        Q(credit_key_state__isnull=True) | Q(updated_at__gt=F("credit_key_state__computed_at")), pk__gt=after_pk)
    if last_pk is not None:
        stale = stale.filter(pk__lte=last_pk)
    refreshed = 0
    cursor = after_pk
    while True:
        rows = list(stale.filter(pk__gt=cursor).order_by("pk").values_list(
            "pk", "uscc", "name", "old_registration_number", "credit_key_state__computed_at")[:chunk])
        if not rows:
            return refreshed
        cursor = rows[-1][0]
        now = timezone.now()
        keys = [(pk, key) for pk, uscc, name, old_reg, _computed in rows
                for key in sorted(_enterprise_query(uscc, name, old_reg, True)[1])]
        pks = [row[0] for row in rows]
        changed = [row[0] for row in rows if row[4] is not None]  # had keys before: replace them
        with transaction.atomic():
            if changed:
                EnterpriseKey.objects.filter(enterprise_id__in=changed).delete()
            _insert_enterprise_keys(keys)
            EnterpriseKeyState.objects.bulk_create(
                [EnterpriseKeyState(enterprise_id=pk, computed_at=now) for pk in pks],
                update_conflicts=True, unique_fields=["enterprise"], update_fields=["computed_at"],
            )
        refreshed += len(rows)


def _insert_enterprise_keys(keys: list[tuple[int, str]]) -> None:
    if connection.vendor == "postgresql":  # COPY: several times faster than INSERT for millions of rows
        with connection.cursor() as cursor:
            with cursor.cursor.copy("COPY credit_enterprisekey (enterprise_id, key) FROM STDIN") as copy:
                for row in keys:
                    copy.write_row(row)
        return
    EnterpriseKey.objects.bulk_create([EnterpriseKey(enterprise_id=pk, key=key) for pk, key in keys],
                                      batch_size=5000)


def _rescreen_slice(job_id: int, after_pk: int, last_pk: int, on: datetime.date, near: bool) -> tuple[int, ...]:
    """Re-screen the enterprises with after_pk < pk <= last_pk: bring their keys up to date, then join their keys
    with the entries' keys range by range; progress is added to the job."""
    job = Job.objects.get(pk=job_id)
    snapshot = lookup.lists_snapshot()
    refreshed = enterprise_keys_refresh(after_pk=after_pk, last_pk=last_pk)
    processed = hits_total = linked_total = 0
    low = after_pk
    while low < last_pk:
        high = min(last_pk, low + RESCREEN_CHUNK)
        count = Enterprise.objects.filter(pk__gt=low, pk__lte=high).count()
        hits = linked = 0
        if count:
            hits, linked = _rescreen_range(job, low, high, on=on, near=near, snapshot=snapshot)
        processed += count
        hits_total += hits
        linked_total += linked
        Job.objects.filter(pk=job.pk).update(processed=F("processed") + count, hits=F("hits") + hits)
        low = high
    return processed, hits_total, linked_total, refreshed


def _rescreen_range(job: Job, low: int, high: int, *, on: datetime.date, near: bool,
                    snapshot: lookup.ListsSnapshot) -> tuple[int, int]:
    """Hits of the enterprises with low < pk <= high: candidate pairs from the key join, then scoring."""
    pairs: dict[int, set[int]] = defaultdict(set)
    for enterprise_pk, entry_id in lookup.enterprise_pairs(low, high, near=near):
        pairs[enterprise_pk].add(entry_id)
    if not pairs:
        return 0, 0
    entries = lookup.entries_by_id({e for ids in pairs.values() for e in ids}, on=on, snapshot=snapshot,
                                   credit_list_id=job.credit_list_id)
    wanted = [pk for pk, ids in pairs.items() if any(e in entries for e in ids)]
    if not wanted:
        return 0, 0
    queries: dict[int, Query] = {}
    for start in range(0, len(wanted), KEY_BATCH):
        for pk, uscc, name, old_reg in Enterprise.objects.filter(pk__in=wanted[start:start + KEY_BATCH]).values_list(
                "pk", "uscc", "name", "old_registration_number"):
            queries[pk] = _enterprise_query(uscc, name, old_reg, near)[0]
    found = []
    hits_of: dict[int, list] = defaultdict(list)
    for enterprise_pk, query in queries.items():
        for entry_id in pairs[enterprise_pk]:
            entry = entries.get(entry_id)
            if entry is None:
                continue
            hit = score_entry(query, entry)
            if hit is not None and hit.score >= REVIEW and hit.kind == "party":
                hits_of[enterprise_pk].append(hit)
    names = set().union(*(namesake_names(h) for h in hits_of.values())) if hits_of else set()
    registered = registered_usccs(names) if names else {}
    for enterprise_pk, hits in hits_of.items():
        yield_to_namesakes(queries[enterprise_pk], hits, registered)
        found.extend((enterprise_pk, queries[enterprise_pk], hit) for hit in hits)
    if not found:
        return 0, 0
    return _record_hits(job, found)


def _record_hits(job: Job, found: list) -> tuple[int, int]:
    decided = {}
    for adjudication in Adjudication.objects.filter(
            query_key__in={q.key for _e, q, _h in found}, entry_id__in={h.entry.pk for _e, _q, h in found}):
        decided[(adjudication.query_key, adjudication.entry_id, adjudication.entry_version)] = adjudication.decision
    rows, to_link = [], []
    for enterprise_pk, query, hit in found:
        decision = decided.get((query.key, hit.entry.pk, hit.entry.version))
        status = "match" if hit.score >= 0.9 else "review"
        if decision == AdjudicationDecision.SAME:
            status = "confirmed"
        elif decision == AdjudicationDecision.NOT_SAME:
            status = "dismissed"
        rows.append(RescreenHit(job=job, enterprise_id=enterprise_pk, entry_id=hit.entry.pk, score=hit.score,
                                status=status, reasons=[r["code"] for r in hit.reasons]))
        if hit.entry.enterprise_id is None and (hit.score >= LINK_SCORE or status == "confirmed"):
            hit.entry.enterprise_id = enterprise_pk
            to_link.append(ListEntry(pk=hit.entry.pk, enterprise_id=enterprise_pk))
    to_link.sort(key=lambda e: e.pk)
    with transaction.atomic():
        RescreenHit.objects.bulk_create(rows, batch_size=2000)
        if to_link:
            ListEntry.objects.bulk_update(to_link, ["enterprise"], batch_size=2000)
    return len(rows), len(to_link)


# ---- bulk screening --------------------------------------------------------------------------------------

BULK_COLUMNS = {"name": "name", "名称": "name", "uscc": "uscc", "统一社会信用代码": "uscc",
                "old_registration_number": "old_registration_number", "注册号": "old_registration_number",
                "id_number": "id_number", "身份证号码": "id_number", "reference": "reference", "编号": "reference"}


def bulk_screen_start(*, actor: Actor, upload, action: str, on: datetime.date | None = None) -> Job:
    """Screen every party of an uploaded CSV (columns name, uscc, old_registration_number, id_number,
    reference) for one action; the rows are screened in the background."""
    require(can_screen_bulk(actor))
    if action not in Action.values:
        raise ServiceError("invalid_action", _("Unknown action."), field="action")
    from django.core.exceptions import ValidationError

    try:
        validate_upload(upload, allowed_types=TEXT_TYPES)
    except ValidationError as exc:
        raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field="file") from exc
    upload.seek(0)
    try:
        text = importing.decode(upload.read())
    except importing.ImportFileError as exc:
        raise ServiceError(exc.code, exc.message, field="file") from exc
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ServiceError("empty", _("The file is empty."), field="file")
    columns = {name: BULK_COLUMNS.get((name or "").strip()) for name in reader.fieldnames}
    if not any(columns.values()):
        raise ServiceError("missing_column", _("The file needs a name, uscc or id_number column."), field="file")
    rows = []
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= BULK_MAX_ROWS:
            raise ServiceError("too_many_rows", _("At most %(n)d parties are screened at once.") % {"n": BULK_MAX_ROWS},
                               field="file")
        query = {columns[k]: (v or "").strip() for k, v in raw.items() if k in columns and columns[k]}
        if any(query.values()):
            rows.append(BulkRow(row=number, query=query))
    if not rows:
        raise ServiceError("empty", _("The file has no rows."), field="file")
    on = on or timezone.localdate()
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.BULK_SCREEN, department=actor.department, created_by=actor.user,
            created_by_label=actor.label, total=len(rows),
            params={"action": action, "on": on.isoformat(), "file": getattr(upload, "name", "")[:200],
                    "organisation": actor.organisation.pk if actor.organisation else None},
        )
        for row in rows:
            row.job = job
        BulkRow.objects.bulk_create(rows, batch_size=2000)
        audit_record(actor=actor, verb="credit.bulk_screen_started", obj=job, department=actor.department,
                     params={"action": action, "rows": len(rows), "on": on})
        from shuangchuang.credit.tasks import bulk_screen_task

        enqueue_after_commit(bulk_screen_task, job.pk)
    return job


def bulk_screen_run(job_id: int) -> Job:
    job = selectors.job_by_id(job_id)
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job
    action = job.params["action"]
    on = datetime.date.fromisoformat(job.params["on"])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    from shuangchuang.core.models import Organisation

    organisation = Organisation.objects.filter(pk=job.params.get("organisation")).first()
    actor = Actor(user=job.created_by, organisation=organisation,
                  roles=frozenset({"officer"}) if organisation and organisation.is_department else frozenset())
    snapshot = lookup.lists_snapshot()
    versions = snapshot.versions
    processed = hits = blocked = 0
    try:
        pending = list(job.bulk_rows.filter(decision="", error="").order_by("row"))
        for start in range(0, len(pending), 500):
            chunk = pending[start:start + 500]
            evidence = []
            for row in chunk:
                try:
                    party = clean_party(Party(**{k: row.query.get(k, "") for k in
                                                 ("name", "uscc", "old_registration_number", "id_number")}))
                except ServiceError as exc:
                    row.error = exc.message[:200]
                    continue
                query = query_for(party)
                decision, is_blocked, found = screen(query, action=action, on=on, scope="officer",
                                                     snapshot=snapshot)
                record = ScreeningEvidence(
                    actor=job.created_by, actor_label=job.created_by_label, organisation=organisation,
                    channel="bulk", action=action, on_date=on, query=party.as_dict(), query_key=query.key,
                    decision=decision, blocked=is_blocked, hit_count=len(found), list_versions=versions,
                    scope="officer", job=job,
                    result={"action": action, "on": on.isoformat(), "scope": "officer", "decision": decision,
                            "blocked": is_blocked, "hits": found, "notes": query.notes, "query": party.as_dict(),
                            "list_versions": versions},
                )
                record.result["evidence_id"] = str(record.pk)
                evidence.append(record)
                row.decision, row.blocked, row.hit_count, row.evidence = decision, is_blocked, len(found), record
                row.best = found[0] if found else {}
                hits += 1 if found else 0
                blocked += 1 if is_blocked else 0
            with transaction.atomic():
                ScreeningEvidence.objects.bulk_create(evidence)
                BulkRow.objects.bulk_update(chunk, ["decision", "blocked", "hit_count", "best", "error", "evidence"])
            processed += len(chunk)
            Job.objects.filter(pk=job.pk).update(processed=processed, hits=hits)
        summary = {"rows": len(pending), "with_hits": hits, "blocked": blocked, "list_versions": versions}
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now(), summary=summary,
                                                 processed=processed, hits=hits)
            job.refresh_from_db()
            audit_record(actor=actor, verb="credit.bulk_screen_finished", obj=job, department=job.department,
                         params=summary)
    except Exception as exc:
        log.exception("bulk screening job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                             finished_at=timezone.now())
        job.refresh_from_db()
    return job
