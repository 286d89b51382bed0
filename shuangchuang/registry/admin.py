from django.contrib import admin

from shuangchuang.core.admin import AuditedAdmin, ReadOnlyAdmin
from shuangchuang.registry.models import (
    District,
    Enterprise,
    IndustryDivision,
    IndustrySection,
    NaturalPerson,
    SizeClassOverride,
    SizeStandardRow,
)
from shuangchuang.registry.reference import reference_cache_clear


class ReferenceAdmin(AuditedAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reference_cache_clear()


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["key", "code", "name", "kind"]


@admin.register(IndustrySection)
class IndustrySectionAdmin(ReferenceAdmin):
    list_display = ["code", "name"]


@admin.register(IndustryDivision)
class IndustryDivisionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "section", "size_category"]
    list_filter = ["section"]


@admin.register(SizeStandardRow)
class SizeStandardRowAdmin(ReferenceAdmin):
    list_display = ["category", "name", "metrics", "sme_ceiling", "medium", "small"]


@admin.register(SizeClassOverride)
class SizeClassOverrideAdmin(ReferenceAdmin):
    list_display = ["class_code", "name", "size_category"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["uscc", "name", "status", "district", "industry", "size_class"]
    list_filter = ["status", "size_class", "legal_form"]
    search_fields = ["=uscc", "name"]
    list_select_related = ["district", "industry"]
    show_full_result_count = False


@admin.register(NaturalPerson)
class NaturalPersonAdmin(ReadOnlyAdmin):
    list_display = ["name"]
    exclude = ["id_number"]
