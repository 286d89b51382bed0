"""Django admin for operators: names data is read-only here; it changes through the services (audit log)."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin
from shuangchuang.names.models import InvestmentRelation, NameReservation, ProtectedName


@admin.register(NameReservation)
class NameReservationAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "legal_form", "registration_authority", "reserved_at", "expires_at"]
    list_filter = ["status", "legal_form", "prior_approval"]
    search_fields = ["name"]
    list_select_related = ["registration_authority"]


@admin.register(ProtectedName)
class ProtectedNameAdmin(ReadOnlyAdmin):
    list_display = ["name", "reason", "since", "until", "transferred"]
    list_filter = ["reason", "transferred"]
    search_fields = ["name"]


@admin.register(InvestmentRelation)
class InvestmentRelationAdmin(ReadOnlyAdmin):
    list_display = ["investor", "investee", "since", "source"]
    list_select_related = ["investor", "investee"]
    raw_id_fields = ["investor", "investee"]
