"""Query parameters of the region endpoints (the one filter shape of lib/filters.py)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.filters import ListFilter
from clusterportal.regions.models import Region


class RegionFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Art"), required=False, choices=Region.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("übergeordnete Region"),
        required=False,
        queryset=Region.objects.without_boundaries(),
        to_field_name="slug",
    )


class RegionFilter(ListFilter[Region]):
    """The region list: every region of the chosen kinds and parent (not paginated:
    the tree is small, and the API answers all of it with its count)."""

    form_class = RegionFilterForm

    def queryset(self, *, boundaries: bool = False) -> QuerySet[Region]:
        p = self.params
        queryset = Region.objects.select_related("parent").defer("parent__boundary")
        if not boundaries:
            queryset = queryset.defer("boundary")
        if p["kind"]:
            queryset = queryset.filter(kind__in=p["kind"])
        if p["parent"]:
            queryset = queryset.filter(parent=p["parent"])
        return queryset.order_by("kind", "name", "code")


class RegionFormatForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("json", "JSON"), ("geojson", "GeoJSON")]
    )
