"""Django admin for operators: credit data is read-only here. Lists, entries and restrictions change through the
services (which raise versions, keep revisions and write the audit log), i.e. through the officers' pages."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin
from shuangchuang.credit.models import (
    Adjudication,
    AnnualReport,
    CreditList,
    ImportBatch,
    Job,
    ListEntry,
    RepairApplication,
    Restriction,
    ScreeningEvidence,
)


@admin.register(CreditList)
class CreditListAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "department", "is_public", "version", "is_active"]
    list_filter = ["kind", "is_public", "is_active"]
    list_select_related = ["department"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_list", "uscc", "status", "listed_on", "version"]
    list_filter = ["credit_list", "status", "subject_type"]
    search_fields = ["=uscc", "name"]
    list_select_related = ["credit_list"]
    exclude = ["id_number", "legal_representative_id_number"]
    show_full_result_count = False


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ["credit_list", "action", "subject", "valid_from", "valid_to", "duration_months"]
    list_filter = ["action"]


@admin.register(ScreeningEvidence)
class ScreeningEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_label", "channel", "action", "decision", "hit_count"]
    list_filter = ["decision", "channel", "action"]
    exclude = ["query", "result"]
    show_full_result_count = False


@admin.register(Adjudication)
class AdjudicationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "decision", "decided_by", "decided_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "credit_list", "status", "total_rows", "created", "updated", "created_at"]
    exclude = ["content"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "credit_list", "status", "processed", "total", "hits", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "year", "version", "is_current", "late", "filed_at"]
    list_select_related = ["enterprise"]
    show_full_result_count = False


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "state", "applicant", "submitted_at", "decided_at"]
    list_filter = ["state"]
