"""Query parameters of the region endpoints (validated like every list filter)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.regions.models import Region


class RegionFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Art"), required=False, choices=Region.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("übergeordnete Region"),
        required=False,
        queryset=Region.objects.without_boundaries(),
        to_field_name="slug",
    )

    def queryset(self, *, boundaries: bool = False) -> QuerySet:
        p = self.cleaned_data
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
