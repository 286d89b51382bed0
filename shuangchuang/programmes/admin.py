"""Django admin for operators: programme data is read-only here; it changes through the services (audited)."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin
from shuangchuang.programmes.models import Application, Award, Call, ExpertProfile, Programme, SupportLedgerEntry


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "department", "annual_cap_fen", "refuse_double_funding", "is_active"]
    list_select_related = ["department"]


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "status", "online_opens_at", "online_closes_at", "budget_fen"]
    list_select_related = ["programme"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "project_title", "call", "organisation", "state", "requested_fen", "rank"]
    list_filter = ["state"]
    list_select_related = ["call", "organisation"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["letter_number", "application", "amount_fen", "decided_at"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "institution", "is_active"]


@admin.register(SupportLedgerEntry)
class SupportLedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "source_kind", "source_label", "amount_fen", "kind", "occurred_on"]
    list_filter = ["source_kind", "kind"]
    list_select_related = ["enterprise"]
