"""The Clusterdatenbank: initiatives, organisations, memberships, labels."""

from __future__ import annotations

import datetime
import enum

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusterportal.lib.dates import add_months
from clusterportal.lib.text import fold
from clusterportal.regions.models import Region
from clusterportal.registry import search
from clusterportal.taxonomy.models import TechnologyField

YEAR_VALIDATORS = [MinValueValidator(1800), MaxValueValidator(2100)]


def coordinate_field(label: str | Promise, limit: int) -> models.FloatField:
    """An optional WGS 84 latitude (limit 90) or longitude (limit 180) in degrees."""
    return models.FloatField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    """Keeps the folded `search_name` with the name on the bulk paths too."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.search_name = fold(obj.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "name" in fields:
            for obj in objs:
                obj.search_name = fold(obj.name)
            fields = [*fields, "search_name"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        # bulk_update (above) arrives here with both columns as expressions.
        if "name" in kwargs and "search_name" not in kwargs:
            if not isinstance(kwargs["name"], str):
                raise TypeError(
                    "update(name=...) takes a text; the search name is folded in Python"
                )
            kwargs["search_name"] = fold(kwargs["name"])
        return super().update(**kwargs)


class Organisation(models.Model):
    """An actor: a company, research institute, university, chamber, ..."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Unternehmen")
        RESEARCH = "research", _("Forschungseinrichtung")
        UNIVERSITY = "university", _("Hochschule")
        ASSOCIATION = "association", _("Verband oder Verein")
        CHAMBER = "chamber", _("Kammer")
        PUBLIC_BODY = "public_body", _("öffentliche Einrichtung")
        OTHER = "other", _("sonstige")

    class SizeClass(models.TextChoices):
        SME = "sme", _("KMU")
        LARGE = "large", _("Großunternehmen")

    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    size_class = models.CharField(
        _("Größenklasse"), max_length=10, choices=SizeClass.choices, blank=True
    )
    street = models.CharField(_("Straße"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("Kreis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    latitude = coordinate_field(_("Breite"), 90)
    longitude = coordinate_field(_("Länge"), 180)
    website = models.URLField(_("Website"), max_length=300, blank=True)
    # The name folded for search (lib.text.fold): "Tübingen" is found as "tuebingen".
    # Kept on save and by the queryset's bulk paths; pg_trgm index on PostgreSQL.
    search_name = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Organisation")
        verbose_name_plural = pgettext_lazy("Modell", "Organisationen")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)


# Yearly re-confirmation (docs/admission.md): a cluster management is reminded 12 months
# after it last confirmed its profile (or a reviewer approved a change of it); after
# 13 months the profile says that the entry has not been confirmed.
REMIND_AFTER_MONTHS = 12
FLAG_AFTER_MONTHS = 13


class Reconfirmation(enum.StrEnum):
    DUE = "due"  # 12 months: the managers are reminded
    OVERDUE = "overdue"  # 13 months: the profile says so


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (lib.dates.add_months)."""
    return add_months(day, -months)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ClusterInitiativeQuerySet(models.QuerySet["ClusterInitiative"]):
    def published(self) -> ClusterInitiativeQuerySet:
        return self.filter(status=ClusterInitiative.Status.PUBLISHED)

    def with_last_confirmation(self) -> ClusterInitiativeQuerySet:
        """Published initiatives that a cluster management keeps, with `last_confirmed`:
        when the profile was last confirmed, or, if never, when its first manager got
        the role (nobody can be asked to confirm before they keep a profile).

        `manager_roles` are the accounts app's Role rows of cluster managers; the 102
        shipped entries come from public sources and have none, so they never fall due.
        """
        return (
            self.published()
            .annotate(first_manager_since=models.Min("manager_roles__granted_at"))
            .filter(first_manager_since__isnull=False)
            .annotate(last_confirmed=Coalesce("confirmed_at", "first_manager_since"))
        )

    def unconfirmed_since(
        self, months: int, today: datetime.date | None = None
    ) -> ClusterInitiativeQuerySet:
        """Kept initiatives whose last confirmation is `months` months old or older."""
        today = today or timezone.localdate()
        cutoff = _start_of(months_before(today, months) + datetime.timedelta(days=1))
        return self.with_last_confirmation().filter(last_confirmed__lt=cutoff)

    def recount_members(self) -> int:
        """Recount the member lists of these initiatives in one statement (any number)."""
        current = Membership.objects.filter(
            initiative=OuterRef("pk"), until_year__isnull=True
        ).order_by()
        counted = current.values("initiative").annotate(n=Count("pk")).values("n")
        companies = (
            current.filter(organisation__kind=Organisation.Kind.COMPANY)
            .values("initiative")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.update(
            listed_members=Coalesce(Subquery(counted), 0),
            listed_companies=Coalesce(Subquery(companies), 0),
            updated_at=timezone.now(),
        )

    def for_list(self) -> ClusterInitiativeQuerySet:
        """What a result row shows, in a fixed number of queries."""
        return (
            self.select_related("region", "seat_kreis")
            # Region outlines are large; a result row never draws them.
            .defer("region__boundary", "seat_kreis__boundary")
            .prefetch_related(
                models.Prefetch(
                    "technology_fields", queryset=TechnologyField.objects.select_related("parent")
                ),
                "labels",
            )
        )


class ClusterInitiative(models.Model):
    class Kind(models.TextChoices):
        CLUSTER_INITIATIVE = "cluster_initiative", _("Regionale Cluster-Initiative")
        STATEWIDE_NETWORK = "statewide_network", _("Landesweites Netzwerk")
        STATE_AGENCY = "state_agency", _("Landesagentur")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_REVIEW = "in_review", _("in Prüfung")
        PUBLISHED = "published", _("veröffentlicht")
        ARCHIVED = "archived", _("archiviert")

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Kurzname"), max_length=100, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    # Where: the Region (or the Land for statewide networks), the Kreis of the seat.
    region = models.ForeignKey(
        Region,
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
        help_text=_("Die Region der Initiative oder das Land bei landesweiten Netzwerken."),
    )
    seat_kreis = models.ForeignKey(
        Region,
        verbose_name=_("Kreis des Sitzes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seated_initiatives",
    )
    regions_covered = models.ManyToManyField(
        Region,
        verbose_name=_("weitere abgedeckte Regionen"),
        blank=True,
        related_name="covering_initiatives",
    )
    street = models.CharField(_("Straße"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    latitude = coordinate_field(_("Breite"), 90)
    longitude = coordinate_field(_("Länge"), 180)
    # Without a geocoded address the marker sits at the centre of the Kreis or Region.
    location_is_approximate = models.BooleanField(_("Lage ungefähr"), default=True)
    website = models.URLField(_("Website"), max_length=300, blank=True)

    # Contact block (admission criterion 1). Personal data only with consent.
    management_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Clustermanagement / Kontaktorganisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_initiatives",
    )
    contact_person = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    contact_consent = models.BooleanField(
        _("Einwilligung zur Veröffentlichung der Ansprechperson"), default=False
    )

    technology_fields = models.ManyToManyField(
        TechnologyField, verbose_name=_("Technologiefelder"), blank=True, related_name="initiatives"
    )
    legal_form = models.CharField(_("Organisationsform"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("Gründungsjahr"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    founding_occasion = models.CharField(_("Gründungsanlass"), max_length=500, blank=True)
    staff_count = models.PositiveIntegerField(
        _("Beschäftigte im Clustermanagement"), null=True, blank=True
    )
    staff_fte = models.DecimalField(
        _("Vollzeitäquivalente"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    staff_year = models.PositiveSmallIntegerField(
        _("Stand Beschäftigte"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    description = models.TextField(_("Kurzbeschreibung"), blank=True)
    description_en = models.TextField(_("Kurzbeschreibung (englisch)"), blank=True)
    goals = models.TextField(_("Zielsetzung und Strategie"), blank=True)
    goals_en = models.TextField(_("Zielsetzung und Strategie (englisch)"), blank=True)
    services = models.TextField(_("Serviceleistungen und Aktivitäten"), blank=True)
    services_en = models.TextField(_("Serviceleistungen und Aktivitäten (englisch)"), blank=True)
    activities_per_year = models.PositiveSmallIntegerField(
        _("clusterspezifische Aktivitäten pro Jahr"), null=True, blank=True
    )
    innovation_driven = models.BooleanField(_("innovationsgetrieben"), null=True, blank=True)

    # Members as reported ("45 (2008); 52 (~2015)"); the list of Memberships where known.
    member_count = models.PositiveIntegerField(_("Mitglieder"), null=True, blank=True)
    member_count_year = models.PositiveSmallIntegerField(
        _("Stand Mitglieder"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    member_count_is_approximate = models.BooleanField(
        _("Mitgliederzahl ungefähr oder Mindestwert"), default=False
    )
    member_companies_count = models.PositiveIntegerField(
        _("davon Unternehmen"), null=True, blank=True
    )
    members_note = models.TextField(_("Mitgliederangaben laut Quellen"), blank=True)
    # The research table's notes (data/registry/bw_clusters.csv) are written in English, and
    # only the back office edits them: the profile marks them as English (WCAG 3.1.2).
    members_note_language = "en"
    # Counts of the member list (Membership rows), kept by refresh_member_counts().
    listed_members = models.PositiveIntegerField(
        _("Mitglieder in der Liste"), default=0, editable=False
    )
    listed_companies = models.PositiveIntegerField(
        _("davon Unternehmen in der Liste"), default=0, editable=False
    )

    # Status of the entry as the sources show it.
    is_active = models.BooleanField(_("aktiv"), default=True)
    ended_year = models.PositiveSmallIntegerField(
        _("Tätigkeit beendet"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    listing_confirmed = models.BooleanField(
        _("Eintrag in der Clusterdatenbank bestätigt"),
        default=True,
        help_text=_(
            "Aus, wenn die Quellen nicht belegen, dass die Initiative in der Clusterdatenbank geführt wird."
        ),
    )
    # When the cluster management last confirmed the profile, or a reviewer approved a
    # change of it ("zuletzt bestätigt am"); yearly re-confirmation reads it.
    confirmed_at = models.DateTimeField(_("zuletzt bestätigt am"), null=True, blank=True)
    status_note = models.TextField(_("Hinweis zum Stand"), blank=True)
    status_note_en = models.TextField(_("Hinweis zum Stand (englisch)"), blank=True)
    research_notes = models.TextField(
        _("Rechercheanmerkungen (intern)"), blank=True, help_text=_("Nur im Backoffice sichtbar.")
    )

    # Folded text for search (see search.py); kept current by refresh_search_text().
    search_name = models.TextField(editable=False, default="")
    search_fields = models.TextField(editable=False, default="")
    search_place = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    # The four above in one, for the PostgreSQL trigram index (search.py).
    search_all = models.TextField(editable=False, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ClusterInitiativeQuerySet.as_manager()
    # Every saved state of the record: who, when, and which change request (as the
    # change reason). The derived search columns are left out: they follow the rest.
    # Technology fields and partnerships are kept in the change requests' diffs
    # (simple-history's m2m tracking fails when a field adds initiatives from its side).
    history = HistoricalRecords(
        excluded_fields=[
            "search_name",
            "search_fields",
            "search_place",
            "search_body",
            "search_all",
            "listed_members",
            "listed_companies",
            "updated_at",
        ],
    )

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Cluster-Initiative")
        verbose_name_plural = pgettext_lazy("Modell", "Cluster-Initiativen")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_year__isnull=True) | models.Q(is_active=False),
                name="initiative_ended_means_inactive",
            ),
            models.CheckConstraint(
                condition=models.Q(member_companies_count__isnull=True)
                | models.Q(member_count__isnull=True)
                | models.Q(member_companies_count__lte=models.F("member_count")),
                name="initiative_companies_not_above_members",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.updated_at = timezone.now()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.refresh_search_text()

    def get_absolute_url(self) -> str:
        return reverse("registry:detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        if self.short_name and self.short_name not in self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def last_confirmation(self) -> datetime.datetime | None:
        """When the profile was last confirmed, or its first manager got the role if it
        never was; None for an initiative that nobody keeps (one query)."""
        first_manager = self.manager_roles.aggregate(since=models.Min("granted_at"))["since"]
        if first_manager is None:
            return None
        return self.confirmed_at or first_manager

    def needs_confirmation(self, today: datetime.date | None = None) -> Reconfirmation | None:
        """DUE after 12 months without confirmation, OVERDUE after 13; None while the
        confirmation is recent, and for drafts, archived entries and entries nobody keeps."""
        if self.status != self.Status.PUBLISHED:
            return None
        last = self.last_confirmation()
        if last is None:
            return None
        today = today or timezone.localdate()
        last_day = timezone.localdate(last)
        if last_day <= months_before(today, FLAG_AFTER_MONTHS):
            return Reconfirmation.OVERDUE
        if last_day <= months_before(today, REMIND_AFTER_MONTHS):
            return Reconfirmation.DUE
        return None

    @property
    def confirmation_overdue(self) -> bool:
        """For the profile page: confirmed once, but not for 13 months, and kept by a
        cluster management. Asks the database only when the date is old enough."""
        if self.confirmed_at is None:
            return False
        today = timezone.localdate()
        if timezone.localdate(self.confirmed_at) > months_before(today, FLAG_AFTER_MONTHS):
            return False
        return self.needs_confirmation(today) is Reconfirmation.OVERDUE

    def confirm(self, by=None) -> None:
        """The cluster management says the public profile is current ("Profil bestätigen")."""
        if self.status != self.Status.PUBLISHED:
            raise ValueError("only a published profile can be confirmed")
        self.confirmed_at = timezone.now()
        self._change_reason = "Profil bestätigt"
        if by is not None:
            self._history_user = by
        self.save(update_fields=["confirmed_at", "updated_at"])

    def refresh_search_text(self) -> None:
        """Recompute and store the folded search columns from the record and its fields."""
        columns = self.current_search_columns()
        for column, value in columns.items():
            setattr(self, column, value)
        search.index_words([columns[c] for c in search.WEIGHTS])
        self.updated_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(**columns, updated_at=self.updated_at)

    def current_search_columns(self, fields=None) -> dict[str, str]:
        """The folded search columns the rules of search.py make of the record now (one
        query: its fields, unless given with their parents, as an import does); writes
        nothing."""
        if fields is None:
            fields = list(self.technology_fields.select_related("parent"))
        names = {f.name for f in fields} | {f.name_en for f in fields}
        names |= {f.parent.name for f in fields if f.parent} | {
            f.parent.name_en for f in fields if f.parent
        }
        places = [self.city]
        for region in (self.region, self.seat_kreis):
            if region is not None:
                places += [region.name, region.name_en]
        region_names, wider_areas = search.region_names(self.region)
        places += region_names
        return search.search_columns(
            name=self.name,
            short_name=self.short_name,
            field_names=names,
            places=places,
            texts=[self.description, self.goals, self.services, self.legal_form, *wider_areas],
        )

    def refresh_member_counts(self) -> None:
        """Recount the member list; criteria and lists read these columns."""
        type(self).objects.filter(pk=self.pk).recount_members()
        fresh = type(self).objects.values("listed_members", "listed_companies", "updated_at")
        for name, value in fresh.get(pk=self.pk).items():
            setattr(self, name, value)


class MembershipQuerySet(models.QuerySet["Membership"]):
    """The bulk paths send no signals: they recount the initiatives they touch (derived.py)."""

    def bulk_create(self, objs, *args, **kwargs):
        from clusterportal.registry.derived import recount_members

        created = super().bulk_create(objs, *args, **kwargs)
        recount_members(m.initiative_id for m in created)
        return created

    def update(self, **kwargs):
        from clusterportal.registry.derived import recount_members

        touched = set(self.values_list("initiative_id", flat=True))
        count = super().update(**kwargs)
        touched |= set(self.values_list("initiative_id", flat=True))
        recount_members(touched)
        return count


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        FOUNDING_MEMBER = "founding_member", _("Gründungsmitglied")
        PARTNER = "partner", _("Partner")
        MANAGEMENT = "management", _("Clustermanagement")

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since_year = models.PositiveSmallIntegerField(
        _("seit"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    until_year = models.PositiveSmallIntegerField(
        _("bis"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Mitgliedschaft")
        verbose_name_plural = pgettext_lazy("Modell", "Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(until_year__isnull=True)
                | models.Q(since_year__isnull=True)
                | models.Q(until_year__gte=models.F("since_year")),
                name="membership_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.initiative}"


class LabelQuerySet(models.QuerySet["Label"]):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for label in objs:
            label.apply_validity_rule()
        return super().bulk_create(objs, *args, **kwargs)

    def current(self) -> LabelQuerySet:
        """Labels not renewed by a later label of the same scheme for the same initiative
        (a re-certification is a new record; the earlier one stays as history)."""
        scheme = Label.scheme_expression()
        later = (
            Label.objects.annotate(scheme=scheme)
            .filter(initiative=models.OuterRef("initiative"), scheme=models.OuterRef("scheme"))
            .filter(
                models.Q(valid_until__gt=models.OuterRef("valid_until"))
                | models.Q(awarded_on__gt=models.OuterRef("awarded_on"))
                | models.Q(awarded_year__gt=models.OuterRef("awarded_year"))
            )
        )
        return self.annotate(scheme=scheme).exclude(models.Exists(later))

    def expiring_between(self, first: datetime.date, last: datetime.date) -> LabelQuerySet:
        """Current labels of initiatives still kept (not archived) whose validity ends
        from `first` to `last`, soonest first."""
        return (
            self.current()
            .filter(valid_until__range=(first, last))
            .exclude(initiative__status=ClusterInitiative.Status.ARCHIVED)
            .order_by("valid_until", "initiative__name", "pk")
        )


# Links a page shows: http(s) only, never javascript: or data:.
HTTP_URL = URLValidator(schemes=["http", "https"])


class Label(models.Model):
    """A quality label or award with its validity and its assessment.

    The validity rule lives here and only here (`term_end`): where a kind of label
    has a fixed term, `valid_until` is the award date plus that term, kept on every
    save and bulk create; other kinds keep the end date entered from their source.

    Lifecycle (docs/labels.md): an assessment (by `assessor`, with a `score` where
    the label has a points scale) leads to a decision (`decided_on`) and the award
    (`awarded_on`); the label is valid until `valid_until`. A re-certification is a
    new Label record; the earlier one stays as history and counts as renewed
    (`LabelQuerySet.current`).
    """

    class Kind(models.TextChoices):
        CLUSTER_EXCELLENCE_BW = "cluster_excellence_bw", _("Cluster-Exzellenz Baden-Württemberg")
        ECEI_BRONZE = "ecei_bronze", _("ECEI Bronze")
        ECEI_SILVER = "ecei_silver", _("ECEI Silber")
        ECEI_GOLD = "ecei_gold", _("ECEI Gold")
        GO_CLUSTER = "go_cluster", _("go-cluster")
        SPITZENCLUSTER = "spitzencluster", _("BMBF-Spitzencluster")

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="labels"
    )
    kind = models.CharField(_("Label"), max_length=30, choices=Kind.choices)
    assessor = models.CharField(
        _("bewertet von"),
        max_length=200,
        blank=True,
        help_text=_("Die Stelle, die die Bewertung durchgeführt hat, z. B. VDI/VDE-IT."),
    )
    score = models.PositiveSmallIntegerField(
        _("Punkte"),
        null=True,
        blank=True,
        help_text=_(
            "Nur bei Labels mit Punkteskala: Cluster-Exzellenz Baden-Württemberg 0 bis 150 "
            "Punkte. Die ESCA-Stufe ist die Art des Labels (Bronze, Silber, Gold)."
        ),
    )
    decided_on = models.DateField(_("entschieden am"), null=True, blank=True)
    awarded_on = models.DateField(_("verliehen am"), null=True, blank=True)
    awarded_year = models.PositiveSmallIntegerField(
        _("verliehen im Jahr"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    certificate_url = models.URLField(
        _("Urkunde oder Nachweis (Adresse)"),
        max_length=500,
        blank=True,
        validators=[HTTP_URL],
        help_text=_("Eine Adresse mit http:// oder https://."),
    )
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    # English, as the research table's label column it is parsed from (see members_note).
    note_language = "en"

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Label")
        verbose_name_plural = pgettext_lazy("Modell", "Labels")
        ordering = ["kind", "-awarded_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(awarded_on__isnull=True)
                | models.Q(valid_until__gt=models.F("awarded_on")),
                name="label_valid_after_awarded",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(awarded_on__isnull=True)
                | models.Q(decided_on__lte=models.F("awarded_on")),
                name="label_decided_before_awarded",
            ),
            # Points only where the label has a scale (SCORE_MAX), and within it.
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(kind="cluster_excellence_bw", score__gte=0, score__lte=150),
                name="label_score_on_its_scale",
            ),
            # No javascript: or data: addresses, whatever path wrote the row.
            models.CheckConstraint(
                condition=models.Q(certificate_url="")
                | models.Q(certificate_url__istartswith="http://")
                | models.Q(certificate_url__istartswith="https://"),
                name="label_certificate_http",
            ),
        ]

    def __str__(self) -> str:
        year = self.awarded_year or (self.awarded_on.year if self.awarded_on else None)
        return f"{self.get_kind_display()} ({year})" if year else self.get_kind_display()

    def save(self, *args, **kwargs) -> None:
        self.apply_validity_rule()
        super().save(*args, **kwargs)

    # Years a label of this kind is valid from its award. The BW label: two years, then
    # external re-certification (the ministry's press release of 2012 on the label,
    # docs/labels.md). The ESCA/EUCLES labels (Bronze, Silver, Gold) have no term in
    # our sources, so their end date stays as entered (docs/labels.md).
    TERM_YEARS: dict[str, int] = {Kind.CLUSTER_EXCELLENCE_BW: 2}

    # The highest score of a kind with a points scale: Cluster-Exzellenz BW is scored in
    # points out of 150 (FEATURES §5, docs/labels.md). Kept in step with the constraint
    # label_score_on_its_scale.
    SCORE_MAX: dict[str, int] = {Kind.CLUSTER_EXCELLENCE_BW: 150}

    # Kinds that are levels of one scheme: a later label of any of them renews the others.
    ESCA_LEVELS = (Kind.ECEI_BRONZE, Kind.ECEI_SILVER, Kind.ECEI_GOLD)

    @classmethod
    def term_end(cls, kind: str, awarded_on: datetime.date | None) -> datetime.date | None:
        """The end of validity by the kind's term, or None where the rule does not decide."""
        years = cls.TERM_YEARS.get(kind)
        if years is None or awarded_on is None:
            return None
        return add_months(awarded_on, 12 * years)

    @classmethod
    def scheme_expression(cls) -> models.Case:
        """The scheme of a label in SQL: "ecei" for the ESCA levels, else the kind."""
        return models.Case(
            models.When(kind__in=cls.ESCA_LEVELS, then=models.Value("ecei")),
            default=models.F("kind"),
            output_field=models.CharField(),
        )

    def apply_validity_rule(self) -> None:
        end = self.term_end(self.kind, self.awarded_on)
        if end is not None:
            self.valid_until = end

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.score is not None:
            highest = self.SCORE_MAX.get(self.kind)
            if highest is None:
                errors["score"] = _(
                    "Für dieses Label ist keine Punkteskala bekannt; die Stufe ergibt sich "
                    "aus der Art des Labels."
                )
            elif self.score > highest:
                errors["score"] = _("Höchstens %(max)d Punkte.") % {"max": highest}
        if self.decided_on and self.awarded_on and self.decided_on > self.awarded_on:
            errors["decided_on"] = _("Die Entscheidung kann nicht nach der Verleihung liegen.")
        end = self.term_end(self.kind, self.awarded_on) or self.valid_until
        if end and self.awarded_on and end <= self.awarded_on:
            errors["valid_until"] = _("Das Ende der Gültigkeit muss nach der Verleihung liegen.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: datetime.date) -> bool | None:
        """True/False where the validity is known, None where it is not."""
        if self.valid_until is None:
            return None
        return day <= self.valid_until

    def days_left(self, day: datetime.date) -> int | None:
        """Days from `day` to the end of validity (negative once expired), None if unknown."""
        if self.valid_until is None:
            return None
        return (self.valid_until - day).days


class InternationalPartnership(models.Model):
    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="partnerships"
    )
    country = models.CharField(pgettext_lazy("Staat", "Land"), max_length=100)
    partner_region = models.CharField(_("Partnerregion"), max_length=200, blank=True)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    # Where the partnership is named. The research table's international_focus has one
    # note per initiative and no source of its own (its rows stay empty here; the profile's
    # sources cover them); data/registry/international_partnerships.csv gives one per row.
    source_name = models.CharField(
        pgettext_lazy("Modell", "Quelle"), max_length=300, blank=True,
        help_text=_("Wer die Partnerschaft nennt, mit dem Titel der Seite."),
    )  # fmt: skip
    source_url = models.URLField(_("Adresse der Quelle"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("internationale Partnerschaft")
        verbose_name_plural = _("internationale Partnerschaften")
        ordering = ["country"]

    def __str__(self) -> str:
        return self.country

    def clean(self) -> None:
        # A source is named and linked, or not given at all.
        if self.source_url and not self.source_name:
            raise ValidationError(
                {"source_name": _("Nennen Sie die Quelle, deren Adresse angegeben ist.")}
            )
        if self.source_name and not self.source_url:
            raise ValidationError({"source_url": _("Geben Sie die Adresse der Quelle an.")})


class SourceReference(models.Model):
    """Where a fact on the profile comes from."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("Adresse"), max_length=1000)
    title = models.CharField(_("Titel"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Quelle")
        verbose_name_plural = pgettext_lazy("Modell", "Quellen")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "url"], name="source_unique_per_initiative"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url


class SearchWord(models.Model):
    """Vocabulary for typo-tolerant search: every indexed word and its one-letter deletions.

    A query word q matches a vocabulary word w within one edit (insert, delete,
    substitute, swap) only if `variant` of some row of w is q or a one-letter
    deletion of q. One indexed IN lookup finds the candidates; search.py checks
    the distance exactly.
    """

    variant = models.CharField(max_length=40)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="search_word_unique")
        ]
        indexes = [models.Index(fields=["word"])]

    def __str__(self) -> str:
        return f"{self.variant} -> {self.word}"


class SearchSynonym(models.Model):
    """Terms the search treats as one: a query for any of them also finds the others
    ("KI | Künstliche Intelligenz | AI | artificial intelligence"). Kept by curators in
    the back office; the technology fields' German and English names need no entry
    (search.synonym_groups derives them)."""

    SEPARATOR = "|"

    terms = models.CharField(
        _("Begriffe"),
        max_length=500,
        help_text=_(
            "Gleichbedeutende Begriffe und Abkürzungen, durch | getrennt, z. B. "
            "„KI | Künstliche Intelligenz | AI“. Begriffe aus mehreren Wörtern werden als "
            "ganze Wortgruppe gesucht."
        ),
    )

    class Meta:
        verbose_name = _("Synonymgruppe der Suche")
        verbose_name_plural = _("Synonymgruppen der Suche")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        """The group's terms as written, without blanks and repeats."""
        terms = (term.strip() for term in self.terms.split(self.SEPARATOR))
        return list(dict.fromkeys(term for term in terms if term))

    def clean(self) -> None:
        if len(self.term_list()) < 2:
            raise ValidationError(
                {"terms": _("Eine Gruppe braucht mindestens zwei Begriffe, durch | getrennt.")}
            )
        self.terms = f" {self.SEPARATOR} ".join(self.term_list())


class ImportJob(models.Model):
    """A back-office import, run by the background worker (registry/jobs.py): the upload,
    how far the worker got, and the outcome for the report page. The file's bytes are
    dropped when the job ends; the report stays."""

    class State(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        CRASHED = "crashed", _("abgebrochen")

    kind = models.CharField(max_length=20)  # a key of imports.KINDS
    filename = models.CharField(max_length=255)
    data = models.BinaryField(default=b"")
    update = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    # The uploader's language: the worker writes the report's messages in it.
    language = models.CharField(max_length=10, default="de")
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # {"message": str, "errors": [[row, column, message]], "report": {created: [...], ...}}
    outcome = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Modell", "Import")
        verbose_name_plural = pgettext_lazy("Modell", "Importe")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.CRASHED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, 100 * self.rows_done // self.rows_total) if self.rows_total else 0
