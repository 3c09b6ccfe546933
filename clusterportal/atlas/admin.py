"""Back office for the atlas: editions (publish), their results read-only.

Editions are computed by `clusterportal load_atlas` (or the engine and a
loader of one's own); the admin only reviews and publishes them. Results are
never edited by hand: every result admin is read-only, and a published
edition is read-only too (the model refuses changes as well).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.atlas.models import (
    AtlasRegion,
    Cluster,
    Density,
    Edition,
    Growth,
    RegionSummary,
    Relatedness,
    Result,
)
from clusterportal.regions.admin import boundary_summary


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "method", "reference", "years_text", "status", "published_at"]
    list_filter = ["status", "method"]
    search_fields = ["slug", "title", "title_en"]
    actions = ["publish"]
    readonly_fields = [
        "slug", "method", "reference_type", "reference_code", "years", "growth_from",
        "growth_to", "definition", "fingerprint", "manifest", "sources", "status",
        "published_at", "created_at", "citation",
    ]  # fmt: skip

    @admin.display(description=_("Jahre"))
    def years_text(self, edition: Edition) -> str:
        return ", ".join(map(str, edition.years))

    @admin.display(description=_("Zitiervorschlag"))
    def citation(self, edition: Edition) -> str:
        return edition.citation

    def get_queryset(self, request):
        return super().get_queryset(request).defer("manifest")

    def has_add_permission(self, request) -> bool:
        return False  # editions come from the engine (load_atlas)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk delete would skip Edition.delete and its check.
        for edition in queryset:
            edition.delete()

    @admin.action(description=_("Ausgewählte Ausgaben veröffentlichen (danach unveränderlich)"))
    def publish(self, request, queryset):
        drafts = [edition for edition in queryset if not edition.is_published]
        for edition in drafts:
            edition.publish()
        skipped = queryset.count() - len(drafts)
        self.message_user(
            request,
            ngettext(
                "%(count)d Ausgabe veröffentlicht.",
                "%(count)d Ausgaben veröffentlicht.",
                len(drafts),
            )
            % {"count": len(drafts)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d Ausgabe(n) waren schon veröffentlicht und blieben unverändert.")
                % {"count": skipped},
                messages.WARNING,
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stored engine output: shown, never added, edited or deleted here."""

    list_select_related = ["edition"]
    list_filter = ["edition"]
    list_per_page = 100

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if any(field.name == "region" for field in self.model._meta.fields):
            queryset = queryset.defer("region__boundary")  # outlines are large
        return queryset

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_de", "type", "edition"]
    list_filter = ["edition", "type"]
    search_fields = ["code", "name", "name_de"]


@admin.register(AtlasRegion)
class AtlasRegionAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "code", "edition", "region", "is_reference"]
    list_filter = ["edition", "type", "is_reference"]
    list_select_related = ["edition", "region"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]
    readonly_fields = ["outline"]

    @admin.display(description=_("Umriss"))
    def outline(self, region: AtlasRegion) -> str:
        return boundary_summary(region.boundary)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("boundary", "region__boundary")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "cluster", "employment", "lq", "stars", "strong", "edition"]
    list_filter = ["edition", "year", "strong", "region__type"]
    list_select_related = ["edition", "region", "cluster"]
    search_fields = ["region__name", "region__code", "cluster__code", "cluster__name"]


@admin.register(RegionSummary)
class RegionSummaryAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "total_employment", "strong_clusters", "portfolio", "edition"]
    list_filter = ["edition", "year", "region__type"]
    list_select_related = ["edition", "region"]
    search_fields = ["region__name", "region__code"]


@admin.register(Growth)
class GrowthAdmin(ReadOnlyAdmin):
    list_display = [
        "region",
        "cluster",
        "year_from",
        "year_to",
        "employment_change",
        "employment_cagr",
        "edition",
    ]
    list_select_related = ["edition", "region", "cluster"]
    search_fields = ["region__name", "cluster__code"]


@admin.register(Relatedness)
class RelatednessAdmin(ReadOnlyAdmin):
    list_display = ["year", "region_type", "cluster", "related_cluster", "relatedness", "edition"]
    list_filter = ["edition", "year", "region_type"]
    list_select_related = ["edition", "cluster", "related_cluster"]


@admin.register(Density)
class DensityAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "cluster", "density", "edition"]
    list_filter = ["edition", "year"]
    list_select_related = ["edition", "region", "cluster"]
