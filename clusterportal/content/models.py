"""Editors' content: news, "Thema des Monats" and fixed pages (docs/content.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.content.images import validate_image
from clusterportal.lib import versioning
from clusterportal.lib.language import localized
from clusterportal.lib.markup import render_markdown

# Pages with an address of their own (content/urls.py), not /seiten/<slug>/.
FIXED_PAGES = ("clusterpolitik", "clusteragentur")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED).filter(
            models.Q(published_on__lte=timezone.localdate()) | models.Q(published_on__isnull=True)
        )

    def newest_first(self) -> ArticleQuerySet:
        # Undated archive texts last.
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-pk")

    def news(self) -> ArticleQuerySet:
        return self.filter(kind=Article.Kind.NEWS).newest_first()

    def themes(self) -> ArticleQuerySet:
        return self.filter(kind=Article.Kind.THEMA).newest_first()

    def pages(self) -> ArticleQuerySet:
        return self.filter(kind=Article.Kind.PAGE)

    def latest_news(self, count: int = 3) -> ArticleQuerySet:
        """For the home page: the newest published news."""
        return self.published().news()[:count]

    def current_thema(self) -> Article | None:
        """For the home page: the newest published Thema des Monats, or None."""
        return self.published().themes().first()


class Article(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("Nachricht")
        THEMA = "thema_des_monats", _("Thema des Monats")
        PAGE = "page", _("Seite")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_REVIEW = "in_review", _("In Prüfung")
        PUBLISHED = "published", _("Veröffentlicht")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    teaser = models.TextField(_("Vorspann"), blank=True)
    teaser_en = models.TextField(_("Vorspann (englisch)"), blank=True)
    body = models.TextField(_("Text (Markdown)"))
    body_en = models.TextField(_("Text (englisch, Markdown)"), blank=True)
    image = models.ImageField(
        _("Bild"), upload_to="content/%Y/", blank=True, validators=[validate_image]
    )
    image_alt = models.CharField(_("Alternativtext des Bildes"), max_length=300, blank=True)
    image_alt_en = models.CharField(_("Alternativtext (englisch)"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    author_name = models.CharField(_("Angezeigter Name"), max_length=200, blank=True)
    # Empty only for archive texts whose source gives no date (nothing is invented).
    published_on = models.DateField(_("Datum"), default=timezone.localdate, null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_archive = models.BooleanField(_("Archiv"), default=False)
    source_name = models.CharField(_("Quelle"), max_length=300, blank=True)
    source_url = models.URLField(_("Adresse der Quelle"), blank=True)
    review_note = models.TextField(_("Hinweis der Prüfung"), blank=True)
    initiatives = models.ManyToManyField(
        "registry.ClusterInitiative",
        verbose_name=_("Initiativen"),
        blank=True,
        related_name="articles",
    )
    technology_fields = models.ManyToManyField(
        "taxonomy.TechnologyField",
        verbose_name=_("Technologiefelder"),
        blank=True,
        related_name="articles",
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("Regionen"), blank=True, related_name="articles"
    )
    # The initiative a manager wrote for (permissions are checked against it).
    initiative = models.ForeignKey(
        "registry.ClusterInitiative",
        verbose_name=_("Für Initiative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_articles",
    )
    # The shipped text's fingerprint as last loaded (content/loading.py): a row whose
    # text no longer matches it was edited, and the loader keeps it.
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["kind", "status", "-published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.PAGE:
            if self.slug in FIXED_PAGES:
                return reverse(f"content:{self.slug}")
            return reverse("content:page", kwargs={"slug": self.slug})
        if self.kind == self.Kind.THEMA:
            return reverse("content:thema_detail", kwargs={"slug": self.slug})
        return reverse("content:news_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Ein Bild braucht einen Alternativtext.")})
        if self.source_url and not self.source_name:
            raise ValidationError({"source_name": _("Bitte die Quelle benennen.")})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.published_on is None or self.published_on <= timezone.localdate()
        )

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def localized_teaser(self) -> str:
        return localized(self.teaser, self.teaser_en)

    @property
    def localized_image_alt(self) -> str:
        return localized(self.image_alt, self.image_alt_en)

    @property
    def body_html(self):
        return render_markdown(localized(self.body, self.body_en))

    @property
    def shown_author(self) -> str:
        if self.author_name:
            return self.author_name
        return self.author.get_full_name() if self.author else ""

    # State changes. Each locks the row so that two reviewers cannot both act on it.

    def _locked(self) -> Article:
        return Article.objects.select_for_update().get(pk=self.pk)

    def submit(self) -> None:
        with transaction.atomic():
            row = self._locked()
            if row.status != self.Status.DRAFT:
                raise ValidationError({"status": _("Nur Entwürfe können eingereicht werden.")})
            row.status = self.Status.IN_REVIEW
            row.save(update_fields=["status", "modified"])
        self.status = row.status

    def publish(self) -> None:
        with transaction.atomic():
            row = self._locked()
            if row.status == self.Status.PUBLISHED:
                raise ValidationError({"status": _("Der Beitrag ist schon veröffentlicht.")})
            row.status = self.Status.PUBLISHED
            row.review_note = ""
            row.save(update_fields=["status", "review_note", "modified"])
        self.status, self.review_note = row.status, ""

    def send_back(self, note: str) -> None:
        if not note.strip():
            raise ValidationError({"review_note": _("Bitte sagen, was zu ändern ist.")})
        with transaction.atomic():
            row = self._locked()
            if row.status != self.Status.IN_REVIEW:
                raise ValidationError(
                    {"status": _("Nur eingereichte Beiträge können zurückgehen.")}
                )
            row.status = self.Status.DRAFT
            row.review_note = note.strip()
            row.save(update_fields=["status", "review_note", "modified"])
        self.status, self.review_note = row.status, row.review_note


def content_version() -> tuple:
    """What a news list or an article page is made of: the data version "content" (apps.py)
    and today's date, because an article dated ahead appears on its day though no data
    changed (`published()`). The key of the kept pages (views.py)."""
    version = versioning.current("content")
    return (version.number, version.token, timezone.localdate())


class Publication(models.Model):
    """A study, brochure or report the portal lists. Atlas editions are not stored here:
    the publication list reads them from atlas.Edition (publications.py)."""

    class Type(models.TextChoices):
        STUDY = "study", _("Studie")
        BROCHURE = "brochure", _("Broschüre")
        ATLAS_EDITION = "atlas_edition", _("Atlas-Ausgabe")
        REPORT = "report", _("Bericht")

    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    authors = models.CharField(_("Autorinnen und Autoren"), max_length=500, blank=True)
    publisher = models.CharField(_("Herausgeber"), max_length=300)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    type = models.CharField(_("Art"), max_length=20, choices=Type.choices)
    file = models.FileField(_("Datei"), upload_to="publications/", blank=True)
    url = models.URLField(_("Link"), blank=True)
    licence = models.CharField(_("Lizenz"), max_length=200, blank=True)
    abstract = models.TextField(_("Zusammenfassung"), blank=True)
    abstract_en = models.TextField(_("Zusammenfassung (englisch)"), blank=True)

    class Meta:
        verbose_name = _("Publikation")
        verbose_name_plural = _("Publikationen")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(type="atlas_edition"),
                name="content_publication_atlas_editions_come_from_atlas",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:publication_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not self.file and not self.url:
            raise ValidationError({"url": _("Bitte eine Datei hochladen oder einen Link angeben.")})

    @property
    def localized_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def title_language(self) -> str:
        """The language of `localized_title`: the English title's, or the publication's."""
        return "en" if localized("", self.title_en) else self.language

    @property
    def localized_abstract(self) -> str:
        return localized(self.abstract, self.abstract_en)
