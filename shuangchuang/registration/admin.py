"""Django admin for operators: registration records are read-only here; every change goes through the services
(workflow, audit log) on the applicants' and officers' pages."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin
from shuangchuang.registration.models import Application, Custodian, Deregistration, Licence, RuleParameter


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "kind", "state", "authority", "submitted_at", "decision_due", "uscc"]
    list_filter = ["kind", "state"]
    list_select_related = ["authority"]
    search_fields = ["name", "uscc"]


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["uscc", "name", "issued_on", "superseded_at", "revoked_at"]
    search_fields = ["uscc", "name"]


@admin.register(Deregistration)
class DeregistrationAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "state", "rule_version", "notice_start", "notice_end", "apply_by"]
    list_filter = ["state", "rule_version"]
    list_select_related = ["enterprise"]


@admin.register(Custodian)
class CustodianAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "address", "state"]
    list_filter = ["state"]
    list_select_related = ["organisation"]


@admin.register(RuleParameter)
class RuleParameterAdmin(ReadOnlyAdmin):
    list_display = ["key", "valid_from", "valid_to", "value", "source"]
