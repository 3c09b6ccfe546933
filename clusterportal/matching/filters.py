"""The network page's filter: a Region and a broad technology field (GET parameters)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.filters import ListFilter
from clusterportal.lib.text import offer_by_label
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField


class LocalizedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.localized_name


class NetworkForm(forms.Form):
    region = LocalizedChoice(
        label=_("Region"),
        required=False,
        queryset=Region.objects.of_kind(Region.Kind.REGION).without_boundaries(),
        to_field_name="slug",
        empty_label=_("alle Regionen"),
    )
    field = LocalizedChoice(
        label=_("Technologiefeld"),
        required=False,
        queryset=TechnologyField.objects.top_level(),
        to_field_name="slug",
        empty_label=_("alle Felder"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_by_label(self.fields["region"])
        offer_by_label(self.fields["field"])


class NetworkFilter(ListFilter[ClusterInitiative]):
    """Which initiatives the network shows (the network itself is network.network)."""

    form_class = NetworkForm

    def queryset(self) -> QuerySet[ClusterInitiative]:
        queryset = ClusterInitiative.objects.published().filter(is_active=True)
        if self.params["region"]:
            region = self.params["region"]
            queryset = queryset.filter(region=region) | queryset.filter(seat_kreis__parent=region)
        if self.params["field"]:
            queryset = queryset.filter(technology_fields__parent=self.params["field"])
        return queryset.distinct().order_by("name", "pk")

    def selection(self) -> dict[str, int | None]:
        region, field = self.params["region"], self.params["field"]
        return {"region": region.pk if region else None, "field": field.pk if field else None}
