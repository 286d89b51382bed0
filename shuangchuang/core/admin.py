"""Django admin for operators. Accounts and the audit log are read-only here (they change through services);
reference data saved here writes an audit event in the same transaction."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from shuangchuang.core.audit import audit_record
from shuangchuang.core.middleware import actor_for_request
from shuangchuang.core.models import (
    ApiToken,
    AuditEvent,
    CalendarDay,
    Membership,
    Notification,
    Organisation,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes from the admin are audited like any service write."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=actor_for_request(request), obj=obj,
                verb=f"admin.{obj._meta.model_name}_{'changed' if change else 'added'}",
                params={"changed": {name: model_to_dict(obj).get(name) for name in form.changed_data}},
            )


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    exclude = ["password", "id_number"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "institution_type", "is_active"]
    list_filter = ["kind", "institution_type", "is_active"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["kind", "code"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "organisation"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor_label", "verb", "object_type", "object_id", "department"]
    list_filter = ["verb"]
    search_fields = ["verb", "object_id", "actor_label"]
    list_select_related = ["department"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_digest"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at", "emailed_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("day", "working", "name", "source")
    list_filter = ("working",)
    date_hierarchy = "day"
