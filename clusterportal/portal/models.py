"""The publisher of the portal (named on the home page and in the Impressum) and the
feedback sent through the accessibility statement."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.language import localized


class Publisher(models.Model):
    """Who publishes the portal: one record, edited in the back office.

    Its first values are the contact of the ministry's cluster-policy unit as the
    ministry's own page on cluster policy gives them (migration 0002, with `source`).
    """

    name = models.CharField(_("Herausgeber"), max_length=200)
    name_en = models.CharField(_("Herausgeber (englisch)"), max_length=200, blank=True)
    unit = models.CharField(_("Organisationseinheit"), max_length=200, blank=True)
    unit_en = models.CharField(_("Organisationseinheit (englisch)"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"))
    website = models.URLField(_("Website"), blank=True)
    represented_by = models.CharField(
        _("Vertreten durch"), max_length=200, blank=True,
        help_text=_("Die Person, die den Herausgeber gesetzlich vertritt."),
    )  # fmt: skip
    content_responsible = models.CharField(
        _("Inhaltlich verantwortlich"), max_length=300, blank=True,
        help_text=_("Name und Anschrift der für den Inhalt verantwortlichen Person."),
    )  # fmt: skip
    vat_id = models.CharField(_("Umsatzsteuer-Identifikationsnummer"), max_length=30, blank=True)
    accessibility_email = models.EmailField(
        _("E-Mail für Barrierefreiheit"), blank=True,
        help_text=_("Empfängt die Rückmeldungen zur Barrierefreiheit; leer: die E-Mail oben."),
    )  # fmt: skip
    feedback_reply_days = models.PositiveSmallIntegerField(
        _("Antwortfrist in Tagen"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Binnen wie vieler Tage Rückmeldungen zur Barrierefreiheit beantwortet werden."),
    )  # fmt: skip
    enforcement_body = models.TextField(
        _("Durchsetzungsverfahren"), blank=True,
        help_text=_("Die Stelle, an die sich Nutzende wenden können, wenn ihre Rückmeldung "
                    "unbeantwortet bleibt, mit Anschrift (nach dem Landesrecht des Betreibers)."),
    )  # fmt: skip
    source = models.CharField(_("Quelle der Angaben"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Herausgeber")
        verbose_name_plural = _("Herausgeber")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Publisher | None:
        """The publisher (the first record; the back office allows only one)."""
        return cls.objects.order_by("pk").first()

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def localized_unit(self) -> str:
        return localized(self.unit, self.unit_en)

    @property
    def feedback_address(self) -> str:
        return self.accessibility_email or self.email


class Feedback(models.Model):
    """A message sent through the accessibility statement: kept, and mailed to the publisher."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ANSWERED = "answered", _("beantwortet")

    page = models.CharField(_("Seite"), max_length=500, blank=True)
    message = models.TextField(_("Nachricht"), max_length=5000)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    language = models.CharField(_("Sprache"), max_length=5)
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status, default=Status.OPEN)
    reply_due = models.DateField(_("Antwort fällig am"))

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} {self.page or '–'}"
