"""The one filter definition of the atlas results, for the pages and the API.

`ResultFilterForm` reads `year`, `region_type`, `strong` (and, for the API,
`page` and `page_size`) and checks the values against the edition (its years
and region types); `ResultFilter` (lib/filters.py's shape) gives the values
and the result rows. The region page, the cluster page, the comparison and
every API list use it.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.atlas.models import AtlasRegion, Edition
from clusterportal.atlas.models import Result as ResultRow
from clusterportal.lib.filters import ListFilter

MAX_COMPARE = 10
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


# A region type as the data name them: kreis, region, land, state, cbsa, nuts2, ...
REGION_TYPE = r"^[a-z0-9_-]+$"


class ResultFilterForm(forms.Form):
    """year, region type and strong, checked against one edition's years and region types."""

    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)
    region_type = forms.RegexField(
        label=_("Art der Regionen"), required=False, regex=REGION_TYPE, max_length=20
    )
    strong = forms.ChoiceField(
        label=_("starke Cluster"),
        required=False,
        choices=[("", _("alle")), ("yes", _("nur starke")), ("no", _("nur nicht starke"))],
    )

    def __init__(self, data=None, *, edition: Edition, types: list[str] | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.edition = edition
        self.types = types  # the region types to accept (default: the edition's)

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and year not in self.edition.years:
            raise forms.ValidationError(
                _("Das Jahr %(year)s ist nicht in der Ausgabe (Jahre: %(years)s)."),
                params={"year": year, "years": ", ".join(map(str, self.edition.years))},
            )
        return year

    def clean_region_type(self) -> str | None:
        region_type = self.cleaned_data["region_type"] or None
        if region_type is not None:
            known = self.types if self.types is not None else region_types(self.edition)
            if region_type not in known:
                raise forms.ValidationError(
                    _("Die Art %(type)s kommt in der Ausgabe nicht vor (Arten: %(types)s)."),
                    params={"type": region_type, "types": ", ".join(known)},
                )
        return region_type


class ApiResultFilterForm(ResultFilterForm):
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)


class CompareForm(forms.Form):
    region = forms.MultipleChoiceField(label=_("Regionen"), required=False)
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)

    def __init__(self, data=None, *, regions: list[AtlasRegion], **kwargs):
        if data is not None:
            # The ten pickers send empty values for the unused ones.
            data = data.copy()
            data.setlist("region", [value for value in data.getlist("region") if value])
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [(r.key, r.label) for r in regions]

    def clean_region(self) -> list[str]:
        keys = list(dict.fromkeys(self.cleaned_data["region"]))
        if len(keys) > MAX_COMPARE:
            raise forms.ValidationError(
                _("Höchstens %(max)s Regionen lassen sich vergleichen; gewählt sind %(count)s."),
                params={"max": MAX_COMPARE, "count": len(keys)},
            )
        return keys


def region_types(edition: Edition) -> list[str]:
    """The region types of an edition, benchmark type last."""
    types = (
        AtlasRegion.objects.filter(edition=edition)
        .values_list("type", flat=True)
        .distinct()
        .order_by("type")
    )
    return sorted(types, key=lambda t: (t == edition.reference_type, t))


class ResultFilter(ListFilter[ResultRow]):
    """The filter of one edition's results: year (default: the latest), region type, strong.

    The pages read `year` and `region_type` and load what they show for them
    (atlas/pages.py); the API lists result rows (`ApiResultFilter`).
    """

    form_class = ResultFilterForm
    default_page_size = PAGE_SIZE
    default_year = True

    def __init__(
        self,
        data,
        *,
        edition: Edition,
        types: list[str] | None = None,
        results: QuerySet[ResultRow] | None = None,
    ) -> None:
        super().__init__(data, edition=edition, types=types)
        self.edition = edition
        self.results = ResultRow.objects.filter(edition=edition) if results is None else results

    def _value(self, name: str):
        # An invalid filter shows its page with the defaults (and the errors).
        return self.params.get(name) if self.is_valid() else None

    @property
    def year(self) -> int | None:
        year = self._value("year")
        return self.edition.latest_year if year is None and self.default_year else year

    @property
    def region_type(self) -> str | None:
        return self._value("region_type")

    @property
    def strong(self) -> bool | None:
        return {"yes": True, "no": False}.get(self._value("strong") or "")

    def queryset(self) -> QuerySet[ResultRow]:
        """The result rows, by year, region type, region code and cluster."""
        results = self.results
        if self.year is not None:
            results = results.filter(year=self.year)
        if self.region_type is not None:
            results = results.filter(region__type=self.region_type)
        if self.strong is not None:
            results = results.filter(strong=self.strong)
        return (
            results.select_related("region", "cluster")
            .defer("region__boundary")
            .order_by("year", "region__type", "region__code", "cluster__position")
        )


class ApiResultFilter(ResultFilter):
    """The API's result lists: paginated, and every year unless one is asked for."""

    form_class = ApiResultFilterForm
    default_year = False
