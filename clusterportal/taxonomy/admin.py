"""Back office for technology fields and industry classifications."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from clusterportal.taxonomy.models import IndustryCode, TechnologyField


class LevelFilter(admin.SimpleListFilter):
    title = _("Ebene")
    parameter_name = "ebene"

    def lookups(self, request, model_admin):
        return [("top", _("übergeordnete Felder")), ("specific", _("spezifische Felder"))]

    def queryset(self, request, queryset):
        if self.value() in ("top", "specific"):
            return queryset.filter(parent__isnull=self.value() == "top")
        return queryset


@admin.register(TechnologyField)
class TechnologyFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent", "name_source", "initiative_count"]
    list_filter = [LevelFilter, "name_source", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en", "slug"]
    autocomplete_fields = ["parent", "industry_codes"]
    readonly_fields = ["initiative_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiatives_total=Count("initiatives"))

    @admin.display(description=_("Initiativen"), ordering="initiatives_total")
    def initiative_count(self, field):
        return field.initiatives_total


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "system", "level"]
    list_filter = ["system", "level"]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["parent"]
    list_per_page = 100
