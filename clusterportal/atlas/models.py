"""The statistical cluster atlas: computed, frozen, citable editions and their results.

An edition is one run of the atlas engine (clusterportal.analytics) on one data
set with one cluster definition. Its results are written once, while the
edition is a draft (loading.py, bulk inserts); publishing freezes them: a
published edition and its rows refuse every change (`EditionIsPublished`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clusterportal.atlas.sources import CITATION_LANGUAGE
from clusterportal.lib.language import long_date
from clusterportal.regions.models import DESIGNATIONS as REGISTRY_DESIGNATIONS
from clusterportal.regions.models import Region

# Labels of the region types the shipped editions use; other types show their code.
REGION_TYPES = {
    "bund": _("Deutschland"),
    "land": _("Länder"),
    "region": _("Regionen"),
    "kreis": _("Stadt- und Landkreise"),
    "country": _("Staat"),
    "state": _("US-Bundesstaaten"),
    "cbsa": _("US-Metropolregionen (CBSA)"),
    "nuts2": _("NUTS-2-Regionen"),
    "eu": _("Europa"),
}
REGION_TYPE_SINGULAR = {
    "bund": _("Staat"),
    "land": _("Land"),
    "region": _("Region"),
    "kreis": _("Stadt- oder Landkreis"),
    "country": _("Staat"),
    "state": _("US-Bundesstaat"),
    "cbsa": _("US-Metropolregion (CBSA)"),
    "nuts2": _("NUTS-2-Region"),
    "eu": _("Staatengruppe"),
}
# Names in the German data end in the Kreis's designation ("Böblingen (Landkreis)");
# English pages translate it as the registry does. Of whole names only these are translated.
DESIGNATIONS = {
    **REGISTRY_DESIGNATIONS,
    "Kreisfreie Stadt": pgettext_lazy("Bezeichnung einer Region", "Kreisfreie Stadt"),
    "Kreis": pgettext_lazy("Bezeichnung einer Region", "Kreis"),
}
NAMES = {
    "Deutschland": pgettext_lazy("Staat", "Deutschland"),
    # The countries of the European edition (data/atlas/eu/regions.csv).
    "Österreich": pgettext_lazy("Staat", "Österreich"),
    "Belgien": pgettext_lazy("Staat", "Belgien"),
    "Bulgarien": pgettext_lazy("Staat", "Bulgarien"),
    "Zypern": pgettext_lazy("Staat", "Zypern"),
    "Tschechien": pgettext_lazy("Staat", "Tschechien"),
    "Dänemark": pgettext_lazy("Staat", "Dänemark"),
    "Estland": pgettext_lazy("Staat", "Estland"),
    "Griechenland": pgettext_lazy("Staat", "Griechenland"),
    "Spanien": pgettext_lazy("Staat", "Spanien"),
    "Finnland": pgettext_lazy("Staat", "Finnland"),
    "Frankreich": pgettext_lazy("Staat", "Frankreich"),
    "Kroatien": pgettext_lazy("Staat", "Kroatien"),
    "Ungarn": pgettext_lazy("Staat", "Ungarn"),
    "Irland": pgettext_lazy("Staat", "Irland"),
    "Italien": pgettext_lazy("Staat", "Italien"),
    "Litauen": pgettext_lazy("Staat", "Litauen"),
    "Luxemburg": pgettext_lazy("Staat", "Luxemburg"),
    "Lettland": pgettext_lazy("Staat", "Lettland"),
    "Malta": pgettext_lazy("Staat", "Malta"),
    "Niederlande": pgettext_lazy("Staat", "Niederlande"),
    "Norwegen": pgettext_lazy("Staat", "Norwegen"),
    "Polen": pgettext_lazy("Staat", "Polen"),
    "Portugal": pgettext_lazy("Staat", "Portugal"),
    "Rumänien": pgettext_lazy("Staat", "Rumänien"),
    "Schweden": pgettext_lazy("Staat", "Schweden"),
    "Slowenien": pgettext_lazy("Staat", "Slowenien"),
    "Slowakei": pgettext_lazy("Staat", "Slowakei"),
    "Vereinigtes Königreich": pgettext_lazy("Staat", "Vereinigtes Königreich"),
    "EU-28 (Summe der Staaten mit Daten)": pgettext_lazy(
        "Staat", "EU-28 (Summe der Staaten mit Daten)"
    ),
}
# The keys of a stored source whose wording is the project's (see sources.py).
TRANSLATED_SOURCE_KEYS = ("name", "citation", "licence")
DESIGNATED = re.compile(r"(?P<name>.+) \((?P<designation>[^()]+)\)")

SHORT_LABEL = 34


def _english() -> bool:
    return (get_language() or "de").startswith("en")


class EditionIsPublished(ValidationError):
    """A published edition and its results are frozen."""


class EditionQuerySet(models.QuerySet["Edition"]):
    def published(self) -> EditionQuerySet:
        return self.filter(status=Edition.Status.PUBLISHED)

    def visible_to(self, user) -> EditionQuerySet:
        """Everyone sees published editions; staff also preview drafts."""
        return self if user.is_staff else self.published()


class Edition(models.Model):
    class Method(models.TextChoices):
        CMP = "cmp", _("U.S. Cluster Mapping (starke Cluster)")
        ECO = "eco", _("European Cluster Observatory (Sterne)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    summary = models.TextField(_("Beschreibung"), blank=True)
    summary_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    limitations = models.TextField(_("Was die Daten zeigen können und was nicht"), blank=True)
    limitations_en = models.TextField(
        _("Was die Daten zeigen können und was nicht (englisch)"), blank=True
    )
    method = models.CharField(_("Methode"), max_length=10, choices=Method.choices)
    reference_type = models.CharField(_("Vergleichsraum: Art"), max_length=20)
    reference_code = models.CharField(_("Vergleichsraum: Schlüssel"), max_length=40)
    years = models.JSONField(_("Jahre"), default=list)
    growth_from = models.PositiveSmallIntegerField(_("Wachstum ab"), null=True, blank=True)
    growth_to = models.PositiveSmallIntegerField(_("Wachstum bis"), null=True, blank=True)
    definition = models.CharField(
        _("Clusterdefinition"),
        max_length=60,
        help_text=_("Schlüssel der Definition, z. B. de_wz2008_section_groups."),
    )
    definition_title = models.CharField(_("Clusterdefinition (Titel)"), max_length=300)
    # [{"name", "citation", "licence", "licence_url", "url"}], frozen with the results.
    sources = models.JSONField(_("Quellen und Lizenzen"), default=list)
    manifest = models.JSONField(_("Protokoll der Berechnung"), default=dict)
    # sha256 over the input files and the parameters: load_atlas skips unchanged editions.
    fingerprint = models.CharField(_("Fingerabdruck der Eingaben"), max_length=64)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Atlas-Ausgabe")
        verbose_name_plural = pgettext_lazy("Modell", "Atlas-Ausgaben")
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", published_at__isnull=True)
                | models.Q(status="published", published_at__isnull=False),
                name="atlas_edition_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(growth_from__isnull=True, growth_to__isnull=True)
                | models.Q(growth_from__lt=models.F("growth_to")),
                name="atlas_edition_growth_years",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_title

    def save(self, *args, **kwargs) -> None:
        if self._stored_status() == self.Status.PUBLISHED:
            raise EditionIsPublished(
                _("Die Ausgabe %(slug)s ist veröffentlicht und kann nicht mehr geändert werden."),
                params={"slug": self.slug},
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("atlas:edition", kwargs={"edition": self.slug})

    def delete(self, *args, force: bool = False, **kwargs):
        """A published edition is deleted only on purpose (load_atlas --replace)."""
        if self._stored_status() == self.Status.PUBLISHED and not force:
            raise EditionIsPublished(
                _("Die Ausgabe %(slug)s ist veröffentlicht und kann nicht gelöscht werden."),
                params={"slug": self.slug},
            )
        return super().delete(*args, **kwargs)

    @property
    def localized_title(self) -> str:
        return self.title_en if self.title_en and _english() else self.title

    @property
    def localized_summary(self) -> str:
        return self.summary_en if self.summary_en and _english() else self.summary

    @property
    def localized_limitations(self) -> str:
        return self.limitations_en if self.limitations_en and _english() else self.limitations

    @property
    def german_names_are_original(self) -> bool:
        """The German cluster names are the source's own (the WZ 2008 of the German
        definitions, keys "de_..."), not the project's translation of English ones: a German
        page then has no reason to show the English name beside them."""
        return self.definition.startswith(("de_", "eu_nace"))

    @property
    def localized_definition_title(self) -> str:
        """The shipped definition titles are marked in editions.py; others stay as stored."""
        return gettext(self.definition_title) if self.definition_title else ""

    @property
    def localized_sources(self) -> list[dict[str, str]]:
        """The stored sources with the project's own German wording translated
        (marked in sources.py); citations of the sources themselves stay as they are, with
        their language (`citation_language`)."""
        return [
            {
                **source,
                **{key: gettext(source[key]) for key in TRANSLATED_SOURCE_KEYS if source.get(key)},
                "citation_language": CITATION_LANGUAGE.get(source.get("key", ""), ""),
            }
            for source in self.sources
        ]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def latest_year(self) -> int:
        return max(self.years)

    @property
    def has_growth(self) -> bool:
        return self.growth_from is not None

    @property
    def reference(self) -> str:
        return f"{self.reference_type}:{self.reference_code}"

    @property
    def citation(self) -> str:
        """How to cite the edition: its slug and the day it was published."""
        when = long_date(self.published_at) if self.published_at else _("Entwurf")
        return gettext("Clusterportal, Regionaler Clusteratlas, Ausgabe %(slug)s, %(date)s") % {
            "slug": self.slug,
            "date": when,
        }

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def publish(self) -> None:
        """Freeze the edition: from now on it and its results refuse every change."""
        with transaction.atomic():
            if self._stored_status() == self.Status.PUBLISHED:
                raise EditionIsPublished(
                    _("Die Ausgabe %(slug)s ist bereits veröffentlicht."),
                    params={"slug": self.slug},
                )
            self.status = self.Status.PUBLISHED
            self.published_at = timezone.now()
            super().save(update_fields=["status", "published_at"])


class EditionPart(models.Model):
    """A row that belongs to an edition and is frozen with it."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, verbose_name=_("Ausgabe"))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.edition.is_published:
            raise EditionIsPublished(
                _("Die Ausgabe %(slug)s ist veröffentlicht; ihre Daten sind unveränderlich."),
                params={"slug": self.edition.slug},
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.edition.is_published:
            raise EditionIsPublished(
                _("Die Ausgabe %(slug)s ist veröffentlicht; ihre Daten sind unveränderlich."),
                params={"slug": self.edition.slug},
            )
        return super().delete(*args, **kwargs)


class Cluster(EditionPart):
    class Type(models.TextChoices):
        TRADED = "traded", _("überregional")
        LOCAL = "local", _("lokal")

    code = models.CharField(_("Code"), max_length=40)
    # `name` is English (the definitions' own names: U.S. Cluster Mapping, NACE), `name_de`
    # the German one where there is one. Names of joined WZ sections run to about 400 characters ("Kunst, Unterhaltung …").
    name = models.CharField(_("Name"), max_length=600)
    name_de = models.CharField(_("Name (deutsch)"), max_length=600, blank=True)
    type = models.CharField(_("Art"), max_length=10, choices=Type.choices)
    # Share of the cluster's industry codes the edition's data can see (benchmark clusters
    # summed from NACE divisions); empty where the data has the definition's own codes.
    coverage = models.FloatField(_("Abdeckung der Branchencodes"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Cluster (Atlas)")
        verbose_name_plural = pgettext_lazy("Modell", "Cluster (Atlas)")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="atlas_cluster_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("atlas:cluster", kwargs={"edition": self.edition.slug, "cluster": self.code})

    @property
    def label(self) -> str:
        """The name in the page's language (German names are the project's translation)."""
        if self.name_de and not _english():
            return self.name_de
        return self.name

    @property
    def label_language(self) -> str:
        """The language of `label`: a German page without a German name shows the English one
        (templates mark it with portal's `lang_of`, WCAG 3.1.2)."""
        return "de" if self.name_de and not _english() else "en"

    @property
    def short_label(self) -> str:
        """A label for charts: long section-group names cut before the first ';' and
        shortened, their code in brackets kept ("Erbringung von freiberuflichen… (M, N)")."""
        label = self.label
        if len(label) <= SHORT_LABEL:
            return label
        match = re.search(r"\([^()]*\)$", label)
        suffix = match.group(0) if match else ""
        head = label[: len(label) - len(suffix)].split(";")[0].strip()
        if len(head) > SHORT_LABEL - len(suffix):
            head = head[: SHORT_LABEL - len(suffix) - 1].rstrip(" ,") + "…"
        return f"{head} {suffix}".strip()

    @property
    def is_traded(self) -> bool:
        return self.type == self.Type.TRADED


class AtlasRegion(EditionPart):
    """A region as the edition's data names it; linked to the registry's Region where one exists."""

    type = models.CharField(_("Art"), max_length=20)
    code = models.CharField(_("Schlüssel"), max_length=40)
    name = models.CharField(_("Name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("Region im Register"),
        null=True,
        blank=True,
        # Only a link for the pages (initiatives, white spots): the edition's own code
        # and name stay; deleting a registry region must not be blocked by it.
        on_delete=models.SET_NULL,
        related_name="atlas_regions",
    )
    is_reference = models.BooleanField(_("Vergleichsraum"), default=False)
    boundary = models.JSONField(_("Umriss (GeoJSON-Geometrie)"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Region (Atlas)")
        verbose_name_plural = pgettext_lazy("Modell", "Regionen (Atlas)")
        ordering = ["edition", "type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "type", "code"], name="atlas_region_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "atlas:region",
            kwargs={"edition": self.edition.slug, "type": self.type, "code": self.code},
        )

    @property
    def label(self) -> str:
        """The name in the page's language: on English pages a Kreis's designation is
        translated ("Böblingen (rural district)"), as is "Deutschland"; else the name as stored."""
        if not _english():
            return self.name
        if self.name in NAMES:
            return str(NAMES[self.name])
        match = DESIGNATED.fullmatch(self.name)
        if match and match["designation"] in DESIGNATIONS:
            return f"{match['name']} ({DESIGNATIONS[match['designation']]})"
        return self.name

    @property
    def type_label(self) -> str:
        return str(REGION_TYPE_SINGULAR.get(self.type, self.type))

    @property
    def key(self) -> str:
        """`type:code`, as the compare form and the engine name a region."""
        return f"{self.type}:{self.code}"


class Result(EditionPart):
    """One year × region × cluster: the engine's `region_clusters` row."""

    year = models.PositiveSmallIntegerField(_("Jahr"))
    region = models.ForeignKey(
        AtlasRegion, on_delete=models.CASCADE, related_name="results", verbose_name=_("Region")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="results", verbose_name=_("Cluster")
    )
    employment = models.FloatField(_("Beschäftigte"))
    establishments = models.FloatField(_("Betriebe"), null=True, blank=True)
    wage = models.FloatField(_("Lohn je Beschäftigten"), null=True, blank=True)
    share = models.FloatField(_("Anteil"), null=True, blank=True)
    reference_share = models.FloatField(_("Anteil am Vergleichsraum"), null=True, blank=True)
    lq = models.FloatField(_("Standortquotient"), null=True, blank=True)
    # Share of `employment` from estimated (confidential) cells; empty: nothing estimated known.
    estimated_share = models.FloatField(_("geschätzter Anteil"), null=True, blank=True)
    # Method cmp
    qualifying = models.BooleanField(null=True, blank=True)
    significant = models.BooleanField(null=True, blank=True)
    strong10 = models.BooleanField(_("stark (oberste 10 %)"), null=True, blank=True)
    # Method eco
    size_star = models.BooleanField(_("Stern Größe"), null=True, blank=True)
    specialisation_star = models.BooleanField(_("Stern Spezialisierung"), null=True, blank=True)
    focus_star = models.BooleanField(_("Stern Fokus"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("Sterne"), null=True, blank=True)
    strong = models.BooleanField(_("starker Cluster"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Ergebnis")
        verbose_name_plural = pgettext_lazy("Modell", "Ergebnisse")
        ordering = ["year", "region", "cluster__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "cluster"], name="atlas_result_unique_cell"
            )
        ]
        indexes = [
            # The cluster page: every region of one cluster in one year.
            models.Index(fields=["cluster", "year"], name="atlas_result_cluster_year"),
            # API lists over the whole edition, filtered by year and strong.
            models.Index(fields=["edition", "year", "strong"], name="atlas_result_edition_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region} · {self.cluster}"


class RegionSummary(EditionPart):
    year = models.PositiveSmallIntegerField(_("Jahr"))
    region = models.ForeignKey(AtlasRegion, on_delete=models.CASCADE, related_name="summaries")
    total_employment = models.FloatField(_("Beschäftigte insgesamt"))
    traded_employment = models.FloatField(_("Beschäftigte in überregionalen Clustern"))
    local_employment = models.FloatField(_("Beschäftigte in lokalen Clustern"))
    strong_clusters = models.PositiveSmallIntegerField(_("starke Cluster"))
    strong_employment = models.FloatField(_("Beschäftigte in starken Clustern"))
    strong_employment_share = models.FloatField(
        _("Anteil starker Cluster an überregionaler Beschäftigung"), null=True, blank=True
    )
    portfolio = models.TextField(_("Portfolio"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Regionsübersicht")
        verbose_name_plural = pgettext_lazy("Modell", "Regionsübersichten")
        ordering = ["year", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="atlas_summary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region}"


class Growth(EditionPart):
    region = models.ForeignKey(AtlasRegion, on_delete=models.CASCADE, related_name="growth")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="growth")
    year_from = models.PositiveSmallIntegerField(_("von"))
    year_to = models.PositiveSmallIntegerField(_("bis"))
    employment_from = models.FloatField(_("Beschäftigte am Anfang"))
    employment_to = models.FloatField(_("Beschäftigte am Ende"))
    employment_change = models.FloatField(_("Veränderung"))
    employment_cagr = models.FloatField(_("jährliche Wachstumsrate"), null=True, blank=True)
    lq_from = models.FloatField(_("Standortquotient am Anfang"), null=True, blank=True)
    lq_to = models.FloatField(_("Standortquotient am Ende"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Wachstum")
        verbose_name_plural = pgettext_lazy("Modell", "Wachstum")
        ordering = ["region", "cluster__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "cluster", "year_from", "year_to"], name="atlas_growth_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cluster} · {self.year_from}–{self.year_to}"


class Relatedness(EditionPart):
    year = models.PositiveSmallIntegerField(_("Jahr"))
    region_type = models.CharField(_("Art der Regionen"), max_length=20)
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    related_cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    regions = models.PositiveIntegerField(_("Regionen"))
    correlation = models.FloatField(_("Korrelation"), null=True, blank=True)
    relatedness = models.FloatField(_("Verwandtschaft"))

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Verwandtschaft")
        verbose_name_plural = pgettext_lazy("Modell", "Verwandtschaften")
        ordering = ["year", "region_type", "cluster__position", "related_cluster__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "year", "region_type", "cluster", "related_cluster"],
                name="atlas_relatedness_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region_type} · {self.cluster} ~ {self.related_cluster}"


class Density(EditionPart):
    """How many of a cluster's related clusters a region is already strong in (0–1)."""

    year = models.PositiveSmallIntegerField(_("Jahr"))
    region = models.ForeignKey(AtlasRegion, on_delete=models.CASCADE, related_name="densities")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="densities")
    density = models.FloatField(_("Verwandtschaftsdichte"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Verwandtschaftsdichte")
        verbose_name_plural = pgettext_lazy("Modell", "Verwandtschaftsdichten")
        ordering = ["year", "region", "cluster__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "cluster"], name="atlas_density_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region} · {self.cluster}"
