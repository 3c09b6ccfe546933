"""The calendar's filter, shared by the page, its iCal feed and the API."""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.events.models import Event
from clusterportal.lib.filters import ListFilter
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

MAX_PAGE_SIZE = 100  # as every list of the API


class EventFilterForm(forms.Form):
    von = forms.DateField(label=_("von"), required=False)
    bis = forms.DateField(label=_("bis"), required=False)
    kind = forms.MultipleChoiceField(label=_("Art"), required=False, choices=Event.Kind.choices)
    format = forms.MultipleChoiceField(
        label=_("Form"), required=False, choices=Event.Format.choices
    )
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, to_field_name="slug",
        queryset=Region.objects.without_boundaries().filter(kind=Region.Kind.REGION),
    )  # fmt: skip
    field = forms.ModelChoiceField(
        label=_("Technologiefeld"), required=False, to_field_name="slug",
        queryset=TechnologyField.objects.all(),
    )  # fmt: skip
    organiser = forms.CharField(label=_("Veranstalter"), required=False, max_length=100)
    archive = forms.BooleanField(label=_("vergangene Veranstaltungen"), required=False)
    page = forms.IntegerField(label=_("Seite"), required=False, min_value=1)
    page_size = forms.IntegerField(
        label=_("Einträge pro Seite"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def clean(self):
        data = super().clean()
        if data.get("von") and data.get("bis") and data["bis"] < data["von"]:
            self.add_error("bis", _("Das Ende liegt vor dem Anfang."))
        return data


class EventFilter(ListFilter[Event]):
    """Upcoming events, soonest first; with `archive`, past ones, latest first."""

    form_class = EventFilterForm
    default_page_size = 20

    def queryset(self) -> QuerySet[Event]:
        p = self.params
        # The page's 20 rows, then their Region, umbrella and initiative by key: a join
        # here made PostgreSQL sort the whole range with the joined rows (45 instead of
        # 11 ms at 20,000 events), and a Region's outline is large.
        events = Event.objects.published().prefetch_related(
            Prefetch("region", queryset=Region.objects.without_boundaries()),
            Prefetch("parent", queryset=Event.objects.only("slug", "title", "title_en")),
            Prefetch(
                "organising_initiative", queryset=ClusterInitiative.objects.only("slug", "name")
            ),
        )
        now = timezone.now()
        over = Q(finishes_at__lt=now)
        if p["von"]:
            events = events.filter(starts_at__date__gte=p["von"])
        if p["bis"]:
            events = events.filter(starts_at__date__lte=p["bis"])
        if p["kind"]:
            events = events.filter(kind__in=p["kind"])
        if p["format"]:
            events = events.filter(format__in=p["format"])
        if p["region"]:
            events = events.filter(region=p["region"])
        if p["field"]:
            field = p["field"]  # with its subfields (the page offers the top-level fields)
            tagged = Q(technology_fields=field) | Q(technology_fields__parent=field)
            events = events.filter(tagged).distinct()
        if p["organiser"]:
            events = events.filter(organiser__icontains=p["organiser"])
        if p["archive"]:
            return events.filter(over).order_by("-starts_at", "-pk")
        if not p["von"] and not p["bis"]:
            events = events.filter(finishes_at__gte=now)
        return events.order_by("starts_at", "pk")
