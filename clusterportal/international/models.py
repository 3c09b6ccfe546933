"""Baden-Württemberg's exports by partner country (Destatis GENESIS table 51000-0032).

One row per GENESIS partner label and year, as the source gives it; `country` is the
ISO 3166-1 alpha-2 code the label maps to (country_names.py), empty where it names no
country (a historic state, "Vertrauliche Länder", ...). The rows without a country stay:
the share of a country is its value divided by the sum of all partner rows of the year.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2010, 2025


class ExportValueQuerySet(models.QuerySet["ExportValue"]):
    def of_country(self, code: str) -> ExportValueQuerySet:
        return self.filter(country=code).order_by("year")

    def totals_by_year(self) -> dict[int, int]:
        """The sum of all partner rows per year, in thousand EUR (years with figures only)."""
        rows = (
            self.exclude(value_teur=None)
            .values("year")
            .annotate(total=models.Sum("value_teur"))
            .order_by("year")
        )
        return {row["year"]: row["total"] for row in rows}


class ExportValue(models.Model):
    class Status(models.TextChoices):
        FINAL = "e", _("endgültig")
        PROVISIONAL = "p", _("vorläufig")
        # Destatis' sign "0": less than half of the smallest unit shown, but more than nothing.
        BELOW_UNIT = "0", _("weniger als 500 EUR, aber mehr als nichts")
        NONE = "", _("kein Wert")

    label = models.CharField(_("Bezeichnung in GENESIS"), max_length=100)
    country = models.CharField(
        _("Ländercode (ISO 3166-1)"), max_length=2, blank=True, db_index=True
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value_teur = models.BigIntegerField(_("Ausfuhr in Tsd. EUR"), null=True, blank=True)
    value_status = models.CharField(
        _("Stand des Werts"), max_length=1, choices=Status.choices, blank=True
    )
    weight_t = models.DecimalField(
        _("Ausfuhr in t"), max_digits=16, decimal_places=1, null=True, blank=True
    )
    weight_status = models.CharField(
        _("Stand des Gewichts"), max_length=1, choices=Status.choices, blank=True
    )

    objects = ExportValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ausfuhrwert")
        verbose_name_plural = _("Ausfuhrwerte")
        ordering = ["year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["label", "year"], name="export_value_unique_label_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="export_value_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(value_teur__isnull=True) | Q(value_teur__gte=0),
                name="export_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"
