"""The back office of the Clusterdatenbank (Django admin), see docs/admin.md.

Lists run in a fixed number of queries however many rows they show (tests
pin it); member lists may reach hundreds of thousands of rows, so nothing
here renders a select box of all organisations or counts a whole table
without need. Search text and member counts follow every save by themselves
(registry/derived.py), through the admin or any other path.

Who may do what is asked of the rules in accounts/rules.py, as everywhere else,
not of Django's model permissions (docs/roles.md): initiatives by
`registry.edit_record` (curators all, a regional contact the regional initiatives
of their Region), their status by `registry.publish_initiative`, organisations,
memberships, labels, imports and the search's synonyms by `registry.curate`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The back office is where the registry meets the people who keep it: the one module of
# registry that imports accounts (its rules), as the ModelAdmins must ask them.
from clusterportal.accounts.rules import editable_initiatives, is_staff_role
from clusterportal.lib import throttle
from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.lib.tables import number
from clusterportal.lib.text import german_slug
from clusterportal.regions.admin import allowed_regions, region_filter
from clusterportal.regions.models import Region
from clusterportal.registry import admission, exporting, imports, jobs
from clusterportal.registry.models import (
    ClusterInitiative,
    ImportJob,
    InternationalPartnership,
    Label,
    Membership,
    Organisation,
    SearchSynonym,
    SourceReference,
)


class RegionChoicesMixin:
    """Foreign keys to Region offer only the kinds they allow (regions.admin.ALLOWED_KINDS)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Region:
            opts = self.model._meta
            kwargs["queryset"] = allowed_regions(opts.app_label, opts.model_name, db_field.name)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Region:
            kwargs["queryset"] = Region.objects.without_boundaries()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TimestampsMixin:
    """created_at / updated_at have no German names on the models; show them with names here."""

    @admin.display(description=_("angelegt"))
    def created(self, record):
        return record.created_at

    @admin.display(description=_("geändert"))
    def updated(self, record):
        return record.updated_at


class SlugFromNameForm(forms.ModelForm):
    """The slug may be left empty; it is then made from the (short) name like the import does."""

    slug_sources = ("name",)
    slug_length = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Leer lassen: wird aus dem Namen gebildet (ä → ae, ß → ss)."
            )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug"):
            source = next(
                (cleaned.get(name) for name in self.slug_sources if cleaned.get(name)), ""
            )
            cleaned["slug"] = german_slug(source or "", self.slug_length)
            if not cleaned["slug"]:
                self.add_error("slug", _("Bitte einen Kurznamen angeben."))
        return cleaned


class ImportMixin:
    """An "Importieren" button on the changelist: upload form -> check or import -> result."""

    import_kind: str
    change_list_template = "admin/registry/change_list_import.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=name),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name=f"{name}_job",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("registry.curate")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        # Checks the upload, hands the import to the background worker (registry/jobs.py)
        # and sends the browser to the job's report page: no request waits for an import.
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = jobs.start(
                self.import_kind,
                upload.name,
                upload.read(),
                update=form.cleaned_data["update"],
                dry_run="check" in request.POST,
                user=request.user,
            )
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import_job", job.pk)
        return self._import_page(request, form, None, status=400 if form.errors else 200)

    def import_job_view(self, request, job_id: int):
        """The report page of one import: a progress bar while it runs, then the outcome."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id, kind=self.import_kind)
        return self._import_page(request, ImportForm(), job)

    def _import_page(self, request, form, job, status=200):
        kind = imports.KINDS[self.import_kind]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("%(kind)s importieren") % {"kind": kind.label},
            "kind": kind,
            "form": form,
            "job": job,
            "outcome": jobs.outcome_of(job) if job else None,
        }
        return TemplateResponse(request, "admin/registry/import.html", context, status=status)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("CSV (UTF-8 oder Windows-1252; Komma, Semikolon oder Tab) oder XLSX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    update = forms.BooleanField(
        label=_("Bestehende Einträge überschreiben, wenn sie abweichen"), required=False
    )

    @property
    def limit(self) -> int:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def clean_file(self):
        """Too big or of the wrong type: rejected before a byte of it is parsed."""
        upload = self.cleaned_data["file"]
        if upload.size > self.limit:
            raise forms.ValidationError(
                _("Die Datei hat %(size)s Bytes; erlaubt sind höchstens %(limit)s Bytes.")
                % {"size": number(upload.size), "limit": number(self.limit)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Nur .csv- und .xlsx-Dateien können importiert werden."))
        return upload


# Permissions: the rules of accounts/rules.py, for lists, records and inlines.


class InitiativeRulesMixin(RulesAdminMixin):
    """Initiatives: `registry.edit_record` per record; curators see all, a regional
    contact the regional cluster initiatives of their Regions (rules.is_contact_for).

    `scoped()` says the same as the rule, as a query (registry/tests/test_admin_rules.py checks
    that both agree on every initiative)."""

    rule = "registry.edit_record"
    read_only = False

    def allowed(self, request, obj=None) -> bool:
        if obj is None:  # the list: anyone who may edit some initiative
            return is_staff_role(request.user)
        return request.user.has_perm(self.rule, obj)

    def has_add_permission(self, request) -> bool:
        # A new record has no Region yet that would make a contact responsible.
        return request.user.has_perm(self.rule, None)

    def scoped(self, request, queryset):
        return editable_initiatives(request.user, queryset)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("registry.publish_initiative", obj):
            fields.append("status")
        return fields


class CuratedInlineMixin:
    """An inline of records that only curators change (labels, members)."""

    rule = "registry.curate"

    def allowed(self, request, obj=None) -> bool:
        return request.user.has_perm(self.rule)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.allowed(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.allowed(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.allowed(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.allowed(request, obj)


class ProfileInlineMixin(CuratedInlineMixin):
    """An inline that is part of the initiative's profile: whoever may edit the initiative."""

    rule = "registry.edit_record"
    read_only = False

    def allowed(self, request, obj=None) -> bool:
        return request.user.has_perm(self.rule, obj)


# Filters


class CriterionFilter(admin.SimpleListFilter):
    """Initiatives by one admission criterion, met (or, with `met = False`, not shown)."""

    title = _("erfülltem Aufnahmekriterium")
    parameter_name = "kriterium"
    met = True

    def lookups(self, request, model_admin):
        everything = [("all", _("alle sieben Kriterien"))] if self.met else []
        return everything + [(c.code, c.title) for c in admission.CRITERIA]

    def queryset(self, request, queryset):
        code = self.value()
        if code is None:
            return queryset
        if code == "all":
            return queryset.filter(criteria_met=len(admission.CRITERIA))
        if code not in admission.BY_CODE:
            raise admin.options.IncorrectLookupParameters(code)
        return queryset.filter(**{admission.BY_CODE[code].annotation: int(self.met)})


class CriterionOpenFilter(CriterionFilter):
    title = _("nicht belegtem Aufnahmekriterium")
    parameter_name = "kriterium_offen"
    met = False


class InitiativeListFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return list(ClusterInitiative.objects.order_by("name").values_list("pk", "name"))


# Inlines of an initiative


class LabelInline(CuratedInlineMixin, admin.TabularInline):
    model = Label
    extra = 0
    fields = [
        "kind",
        "assessor",
        "score",
        "decided_on",
        "awarded_on",
        "awarded_year",
        "valid_until",
        "certificate_url",
        "note",
    ]


class PartnershipInline(ProfileInlineMixin, admin.TabularInline):
    model = InternationalPartnership
    extra = 0


class SourceInline(ProfileInlineMixin, admin.TabularInline):
    model = SourceReference
    extra = 0
    fields = ["url", "title", "position"]


class ParentCachedFormSet(BaseInlineFormSet):
    """Rows know their parent record, so showing a row (its __str__) costs no query."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        return form


class MembershipInline(CuratedInlineMixin, admin.TabularInline):
    """The member list: organisation shown, not re-selectable, so a list of any length
    renders without a query per row. New members go in MembershipAddInline."""

    model = Membership
    formset = ParentCachedFormSet
    extra = 0
    fields = ["organisation", "organisation_kind", "role", "since_year", "until_year"]
    readonly_fields = ["organisation", "organisation_kind"]
    verbose_name_plural = _("Mitglieder")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation")
            .order_by("organisation__name")
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Art"))
    def organisation_kind(self, membership):
        return membership.organisation.get_kind_display()


class MembershipAddInline(CuratedInlineMixin, admin.TabularInline):
    model = Membership
    extra = 3
    fields = ["organisation", "role", "since_year", "until_year"]
    autocomplete_fields = ["organisation"]
    verbose_name_plural = _("Mitglieder hinzufügen")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


# Initiatives


class InitiativeForm(SlugFromNameForm):
    slug_sources = ("short_name", "name")


@admin.register(ClusterInitiative)
class ClusterInitiativeAdmin(
    InitiativeRulesMixin, ImportMixin, RegionChoicesMixin, TimestampsMixin, admin.ModelAdmin
):
    import_kind = "initiatives"
    form = InitiativeForm
    list_display = [
        "name",
        "criteria",
        "kind",
        "status",
        "region",
        "listed_members",
        "is_active",
        "listing_confirmed",
    ]
    list_filter = [
        "status",
        "kind",
        ("region", region_filter(Region.Kind.LAND, Region.Kind.REGION)),
        CriterionFilter,
        CriterionOpenFilter,
        "labels__kind",
        "is_active",
        "listing_confirmed",
        ("seat_kreis", region_filter(Region.Kind.KREIS)),
    ]
    list_select_related = ["region", "seat_kreis"]
    list_max_show_all = 500
    search_fields = ["name", "short_name", "slug", "city"]
    date_hierarchy = "updated_at"
    autocomplete_fields = [
        "region",
        "seat_kreis",
        "regions_covered",
        "technology_fields",
        "management_organisation",
    ]
    readonly_fields = ["criteria_block", "listed_members", "listed_companies", "created", "updated"]
    inlines = [LabelInline, PartnershipInline, SourceInline, MembershipInline, MembershipAddInline]
    actions = ["export_import_csv", "export_import_xlsx"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "status"]}),
        (_("Aufnahmekriterien"), {"fields": ["criteria_block"]}),
        (
            pgettext_lazy("Abschnitt", "Ort"),
            {
                "fields": [
                    "region",
                    "seat_kreis",
                    "regions_covered",
                    "street",
                    ("postcode", "city"),
                    ("latitude", "longitude", "location_is_approximate"),
                ]
            },
        ),
        (
            _("Kontakt"),
            {
                "fields": [
                    "management_organisation",
                    "website",
                    "contact_person",
                    ("contact_email", "contact_phone"),
                    "contact_consent",
                ]
            },
        ),
        (
            _("Profil"),
            {
                "fields": [
                    "technology_fields",
                    "legal_form",
                    ("founded_year", "founding_occasion"),
                    "description",
                    "goals",
                    "services",
                    ("activities_per_year", "innovation_driven"),
                    ("staff_count", "staff_fte", "staff_year"),
                ]
            },
        ),
        (
            _("Mitglieder"),
            {
                "fields": [
                    ("member_count", "member_count_year", "member_count_is_approximate"),
                    "member_companies_count",
                    "members_note",
                    ("listed_members", "listed_companies"),
                ]
            },
        ),
        (
            _("Stand"),
            {
                "fields": [
                    ("is_active", "ended_year"),
                    "listing_confirmed",
                    "status_note",
                    "status_note_en",
                    "research_notes",
                    ("created", "updated"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("region__boundary", "seat_kreis__boundary")
        return admission.annotate(queryset)

    def view_on_site(self, initiative):
        # Only published profiles have a public page.
        if initiative.status == ClusterInitiative.Status.PUBLISHED:
            return initiative.get_absolute_url()
        return None

    @admin.display(description=_("Kriterien erfüllt"), ordering="criteria_met")
    def criteria(self, initiative):
        return f"{initiative.criteria_met}/{len(admission.CRITERIA)}"

    @admin.display(description=_("Aufnahmekriterien"))
    def criteria_block(self, initiative):
        if initiative.pk is None:
            return _("Wird nach dem Speichern geprüft.")
        results = admission.evaluate(initiative)
        met = sum(result.met for result in results)
        rows = format_html_join(
            "",
            "<li>{} <strong>{}</strong>: {} <span class='help'>({})</span></li>",
            (
                (
                    _boolean_icon(result.met),
                    result.criterion.title,
                    _("erfüllt") if result.met else _("nicht belegt"),
                    result.criterion.requirement,
                )
                for result in results
            ),
        )
        return format_html(
            "<p>{}</p><ul class='criteria' style='margin-left:0;padding-left:0;list-style:none'>{}</ul>",
            _("%(met)s von %(total)s Kriterien erfüllt") % {"met": met, "total": len(results)},
            rows,
        )

    def _export(self, request, queryset, extension: str):
        # The same limit per client as the public exports (settings.PUBLIC_RATE_LIMITS).
        if not throttle.allowed(request, "export"):
            self.message_user(request, exporting.TOO_MANY_EXPORTS, messages.ERROR)
            return None
        try:
            content = exporting.kept_import_format(request, queryset, extension)
        except exporting.TooManyRows as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        response = HttpResponse(content, content_type=exporting.FORMATS[extension].content_type)
        filename = exporting.filename(extension, "clusterdatenbank-importformat")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Auswahl im Importformat exportieren (CSV)"), permissions=["view"])
    def export_import_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Auswahl im Importformat exportieren (XLSX)"), permissions=["view"])
    def export_import_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")


# Organisations and memberships


class OrganisationForm(SlugFromNameForm):
    slug_length = 120


class OrganisationMembershipInline(CuratedInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["initiative", "role", "since_year", "until_year"]
    autocomplete_fields = ["initiative"]
    verbose_name_plural = _("Mitgliedschaften in Cluster-Initiativen")


@admin.register(Organisation)
class OrganisationAdmin(
    RulesAdminMixin, ImportMixin, RegionChoicesMixin, TimestampsMixin, admin.ModelAdmin
):
    import_kind = "organisations"
    form = OrganisationForm
    list_display = ["name", "kind", "size_class", "postcode", "city", "region"]
    list_filter = ["kind", "size_class", ("region", region_filter(Region.Kind.KREIS))]
    list_select_related = ["region"]
    search_fields = ["name", "slug", "city", "postcode"]
    autocomplete_fields = ["region"]
    date_hierarchy = "created_at"
    readonly_fields = ["created", "updated"]
    inlines = [OrganisationMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", ("kind", "size_class"), "website"]}),
        (
            _("Anschrift"),
            {"fields": ["street", ("postcode", "city"), "region", ("latitude", "longitude")]},
        ),
        (None, {"fields": [("created", "updated")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("region__boundary")


@admin.register(Membership)
class MembershipAdmin(RulesAdminMixin, ImportMixin, admin.ModelAdmin):
    import_kind = "memberships"
    list_display = ["organisation", "initiative", "role", "since_year", "until_year"]
    list_filter = ["role", "organisation__kind", ("initiative", InitiativeListFilter)]
    search_fields = ["organisation__name", "organisation__slug", "initiative__name"]
    autocomplete_fields = ["initiative", "organisation"]
    # Hundreds of thousands of rows: no COUNT(*) of the whole table on every page.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "initiative")


# Labels, partnerships, sources: also reachable on their own, for lists across initiatives.


class InitiativePartMixin:
    autocomplete_fields = ["initiative"]
    search_fields = ["initiative__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("initiative")


@admin.register(Label)
class LabelAdmin(RulesAdminMixin, InitiativePartMixin, admin.ModelAdmin):
    """Labels across initiatives. The validity of a kind with a fixed term (Cluster-Exzellenz
    BW: two years) is computed from the award date on save (Label.term_end)."""

    list_display = [
        "initiative",
        "kind",
        "awarded_on",
        "awarded_year",
        "valid_until",
        "assessor",
        "score",
        "certificate",
    ]
    list_filter = ["kind", "awarded_year", "assessor"]
    search_fields = ["initiative__name", "note", "assessor"]
    date_hierarchy = "awarded_on"
    fieldsets = [
        (None, {"fields": ["initiative", "kind", "note"]}),
        (
            _("Bewertung und Entscheidung"),
            {"fields": ["assessor", "score", "decided_on", "certificate_url"]},
        ),
        (
            _("Gültigkeit"),
            {
                "fields": ["awarded_on", "awarded_year", "valid_until"],
                "description": _(
                    "Bei Cluster-Exzellenz Baden-Württemberg wird „gültig bis“ aus dem "
                    "Verleihungsdatum berechnet (zwei Jahre). Bei anderen Labels gilt das "
                    "eingetragene Datum."
                ),
            },
        ),
    ]

    @admin.display(description=_("Urkunde"), ordering="certificate_url")
    def certificate(self, label):
        if not label.certificate_url:
            return "–"
        return format_html('<a href="{}" rel="noopener">{}</a>', label.certificate_url, _("öffnen"))


@admin.register(InternationalPartnership)
class InternationalPartnershipAdmin(RulesAdminMixin, InitiativePartMixin, admin.ModelAdmin):
    list_display = ["country", "partner_region", "initiative", "note", "source_name"]
    list_filter = ["country"]
    search_fields = ["country", "partner_region", "initiative__name", "note", "source_name"]


@admin.register(SourceReference)
class SourceReferenceAdmin(RulesAdminMixin, InitiativePartMixin, admin.ModelAdmin):
    list_display = ["__str__", "initiative", "url"]
    search_fields = ["url", "title", "initiative__name"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(RulesAdminMixin, admin.ModelAdmin):
    """The search's synonym groups: curators keep them (a vocabulary, docs/roles.md). A
    change moves the registry's data version, so cached search results follow at once."""

    rule = "registry.curate"
    list_display = ["terms"]
    search_fields = ["terms"]
