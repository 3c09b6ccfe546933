"""Geography: a typed tree of regions with official codes and boundaries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterportal.lib.language import localized

# The designations the data uses, in the page's language ("Böblingen (Landkreis)").
DESIGNATIONS = {
    "Landkreis": pgettext_lazy("Bezeichnung einer Region", "Landkreis"),
    "Stadtkreis": pgettext_lazy("Bezeichnung einer Region", "Stadtkreis"),
    "Regierungsbezirk": pgettext_lazy("Bezeichnung einer Region", "Regierungsbezirk"),
    "Region": pgettext_lazy("Bezeichnung einer Region", "Region"),
}


class RegionQuerySet(models.QuerySet["Region"]):
    def of_kind(self, *kinds: str) -> RegionQuerySet:
        return self.filter(kind__in=kinds)

    def without_boundaries(self) -> RegionQuerySet:
        """Lists never need the (large) outlines; pages that draw maps ask for them."""
        return self.defer("boundary")

    def within(self, region: Region) -> RegionQuerySet:
        """The region itself and every region below it (Land > Bezirk > Region > Kreis)."""
        ids = {region.pk}
        frontier = {region.pk}
        while frontier:
            frontier = set(
                self.model.objects.filter(parent__in=frontier).values_list("pk", flat=True)
            )
            frontier -= ids
            ids |= frontier
        return self.filter(pk__in=ids)


class Region(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Staat")
        LAND = "land", _("Land")
        REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
        REGION = "region", _("Region")
        KREIS = "kreis", _("Stadt- oder Landkreis")
        NUTS1 = "nuts1", _("NUTS-1")
        NUTS2 = "nuts2", _("NUTS-2")
        NUTS3 = "nuts3", _("NUTS-3")
        US_STATE = "us_state", _("US-Bundesstaat")
        CBSA = "cbsa", _("US-Metropolregion (CBSA)")
        COUNTY = "county", _("US-County")
        CUSTOM = "custom", _("Eigene Region")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("Schlüssel"),
        max_length=40,
        help_text=_(
            "Amtlicher Schlüssel (AGS, NUTS, FIPS); für Regionen ohne amtlichen Schlüssel ein stabiles Kürzel."
        ),
    )
    name = models.CharField(_("Name"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    # Stadtkreis / Landkreis for German Kreise; the official designation elsewhere.
    designation = models.CharField(_("Bezeichnung"), max_length=100, blank=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    boundary = models.JSONField(_("Umriss (GeoJSON-Geometrie)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("Mittelpunkt Breite"), null=True, blank=True)
    centroid_lon = models.FloatField(_("Mittelpunkt Länge"), null=True, blank=True)
    source_url = models.URLField(_("Quelle"), max_length=500, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Region")
        verbose_name_plural = pgettext_lazy("Modell", "Regionen")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="region_unique_kind_code"),
            models.CheckConstraint(
                condition=(
                    models.Q(centroid_lat__isnull=True) & models.Q(centroid_lon__isnull=True)
                )
                | (
                    models.Q(centroid_lat__gte=-90, centroid_lat__lte=90)
                    & models.Q(centroid_lon__gte=-180, centroid_lon__lte=180)
                ),
                name="region_centroid_in_range",
            ),
        ]

    def __str__(self) -> str:
        if self.designation:
            return f"{self.localized_name} ({DESIGNATIONS.get(self.designation, self.designation)})"
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The English name on English pages where there is one; else the (German) name."""
        return localized(self.name, self.name_en)

    def ancestors(self) -> list[Region]:
        """From the parent up to the root."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain
