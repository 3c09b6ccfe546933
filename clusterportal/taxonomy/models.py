"""Technology fields of the registry and the industry classifications behind them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterportal.lib.language import localized


class TechnologyFieldQuerySet(models.QuerySet["TechnologyField"]):
    def top_level(self) -> TechnologyFieldQuerySet:
        return self.filter(parent__isnull=True)


class TechnologyField(models.Model):
    """A Branche / Technologiefeld.

    Two levels: the broad fields of the Regional Cluster Atlas legend (filters
    and facets use these) and, below them, the specific terms the initiatives
    use for themselves ("Medizintechnologie", "Gedruckte Elektronik").
    """

    class NameSource(models.TextChoices):
        ATLAS_2016 = "atlas2016", _("Legende Cluster-Atlas 2016")
        ATLAS_2008 = "atlas2008", _("Legende Cluster-Atlas 2008/2010")
        REGISTRY = "registry", _("Angabe der Initiative")
        OWN = "own", _("eigene Benennung")

    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    name = models.CharField(_("Name"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnetes Feld"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_source = models.CharField(
        _("Herkunft der Benennung"), max_length=20, choices=NameSource.choices
    )
    industry_codes = models.ManyToManyField(
        "IndustryCode", verbose_name=_("Wirtschaftszweige"), blank=True, related_name="fields"
    )

    objects = TechnologyFieldQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Technologiefeld")
        verbose_name_plural = pgettext_lazy("Modell", "Technologiefelder")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="field_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def top(self) -> TechnologyField:
        return self.parent if self.parent_id else self


class IndustryCode(models.Model):
    """A code of an industry classification (WZ 2008, NACE Rev. 2, NAICS)."""

    class System(models.TextChoices):
        WZ2008 = "wz2008", "WZ 2008"
        NACE2 = "nace2", "NACE Rev. 2"
        ISIC4 = "isic4", "ISIC Rev. 4"
        NAICS2012 = "naics2012", "NAICS 2012"
        NAICS2017 = "naics2017", "NAICS 2017"

    system = models.CharField(_("Klassifikation"), max_length=20, choices=System.choices)
    code = models.CharField(_("Code"), max_length=20)
    level = models.PositiveSmallIntegerField(_("Ebene"))
    title = models.CharField(pgettext_lazy("Wirtschaftszweig", "Bezeichnung"), max_length=500)
    title_en = models.CharField(
        pgettext_lazy("Wirtschaftszweig", "Bezeichnung (englisch)"), max_length=500, blank=True
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Wirtschaftszweig")
        verbose_name_plural = pgettext_lazy("Modell", "Wirtschaftszweige")
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="industry_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.code} {self.title}"
