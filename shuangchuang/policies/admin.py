"""Django admin for operators: the policies data is read-only here (it changes through the services and the
officer pages, which check the department and write the audit log)."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin
from shuangchuang.policies.models import Benefit, BenefitPush, Faq, Parameter, PolicyDocument, SavedSearch


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "issuer", "department", "status", "version", "published_on")
    list_filter = ("status", "is_summary", "department")
    search_fields = ("title", "number")


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyAdmin):
    list_display = ("title", "code", "kind", "audience", "department", "status", "version")
    list_filter = ("status", "kind", "audience", "department")
    search_fields = ("title", "code")


@admin.register(Parameter)
class ParameterAdmin(ReadOnlyAdmin):
    list_display = ("key", "label", "valid_from", "valid_to", "value", "department")
    list_filter = ("department", "kind")
    search_fields = ("key", "label")


@admin.register(BenefitPush)
class BenefitPushAdmin(ReadOnlyAdmin):
    list_display = ("benefit", "status", "total", "notified", "messages", "created_at", "finished_at")
    list_filter = ("status",)


@admin.register(Faq)
class FaqAdmin(ReadOnlyAdmin):
    list_display = ("question", "department", "status", "approved_by", "approved_at")
    list_filter = ("status", "department")


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "frequency", "is_active", "last_sent_at")
    list_filter = ("frequency", "is_active")
