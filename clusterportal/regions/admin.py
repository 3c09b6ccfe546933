"""Back office for regions. Outlines are large: lists never load them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.tables import number
from clusterportal.regions.models import Region


def _points(coordinates) -> int:
    """The number of positions in a GeoJSON coordinates array of any depth."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        return 1
    return sum(_points(part) for part in coordinates or [])


def boundary_summary(geometry: dict | None) -> str:
    """'MultiPolygon, 3 Teilflächen, 1.234 Punkte' instead of kilobytes of coordinates."""
    if not geometry:
        return str(_("kein Umriss"))
    kind = geometry.get("type", "?")
    coordinates = geometry.get("coordinates") or []
    parts = len(coordinates) if kind == "MultiPolygon" else 1
    return _("%(kind)s, %(parts)s Teilfläche(n), %(points)s Punkte") % {
        "kind": kind,
        "parts": parts,
        "points": number(_points(coordinates)),
    }


class RegionFieldListFilter(admin.RelatedFieldListFilter):
    """A filter by region that offers only some kinds and never loads outlines."""

    kinds: tuple[str, ...] = ()

    def field_choices(self, field, request, model_admin):
        regions = Region.objects.without_boundaries().order_by("name")
        if self.kinds:
            regions = regions.of_kind(*self.kinds)
        return [(region.pk, str(region)) for region in regions]


def region_filter(*kinds: str) -> type[RegionFieldListFilter]:
    return type("RegionFilter", (RegionFieldListFilter,), {"kinds": kinds})


# Which kinds of region a foreign key of another model may point to; admins of
# those models restrict their choices and autocomplete results with this.
ALLOWED_KINDS = {
    ("registry", "clusterinitiative", "region"): (Region.Kind.LAND, Region.Kind.REGION),
    ("registry", "clusterinitiative", "seat_kreis"): (Region.Kind.KREIS,),
    ("registry", "organisation", "region"): (Region.Kind.KREIS,),
}


def allowed_regions(app_label: str, model_name: str, field_name: str):
    regions = Region.objects.without_boundaries()
    kinds = ALLOWED_KINDS.get((app_label, model_name, field_name))
    return regions.of_kind(*kinds) if kinds else regions


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "designation", "parent", "has_boundary"]
    list_filter = ["kind", ("parent", region_filter())]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en", "code", "slug"]
    ordering = ["kind", "name"]
    autocomplete_fields = ["parent"]
    exclude = ["boundary"]
    readonly_fields = ["boundary_overview"]
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .without_boundaries()
            .defer("parent__boundary")
            .annotate(has_outline=ExpressionWrapper(Q(boundary__isnull=False), BooleanField()))
        )

    def get_search_results(self, request, queryset, search_term):
        """Autocomplete for a foreign key offers only the kinds that key allows."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = (
            request.GET.get("app_label"),
            request.GET.get("model_name"),
            request.GET.get("field_name"),
        )
        if source in ALLOWED_KINDS:
            queryset = queryset.of_kind(*ALLOWED_KINDS[source])
        return queryset, may_have_duplicates

    @admin.display(description=_("Umriss"), boolean=True, ordering="has_outline")
    def has_boundary(self, region):
        return region.has_outline

    @admin.display(description=_("Umriss (GeoJSON-Geometrie)"))
    def boundary_overview(self, region):
        # The one place the outline is read: on the change page, one query.
        return boundary_summary(region.boundary) if region.pk else "–"
