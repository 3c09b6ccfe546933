"""The one filter definition of the atlas results, for the pages and the API.

`ResultFilterForm` reads `year`, `region_type`, `strong` (and, for the API,
`page` and `page_size`); `ResultFilter` checks the values against the edition
(its years and region types) and filters result rows. The region page, the
cluster page, the comparison and every API list use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.atlas.models import AtlasRegion, Edition
from clusterportal.atlas.models import Result as ResultRow

MAX_COMPARE = 10
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class ResultFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)
    region_type = forms.RegexField(
        label=_("Art der Regionen"), required=False, regex=r"^[a-z_-]+$", max_length=20
    )
    strong = forms.ChoiceField(
        label=_("starke Cluster"),
        required=False,
        choices=[("", _("alle")), ("yes", _("nur starke")), ("no", _("nur nicht starke"))],
    )


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


@dataclass
class ResultFilter:
    """Validated filter values of one edition: year (default: the latest), region type, strong."""

    edition: Edition
    year: int | None
    region_type: str | None
    strong: bool | None
    errors: dict[str, list[str]]

    @classmethod
    def of(
        cls,
        edition: Edition,
        data,
        *,
        form_class: type[ResultFilterForm] = ResultFilterForm,
        default_year: bool = True,
        types: list[str] | None = None,
    ) -> ResultFilter:
        form = form_class(data)
        valid = form.is_valid()
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        values = form.cleaned_data if valid else {}
        year = values.get("year")
        if year is not None and year not in edition.years:
            errors["year"] = [
                str(_("Das Jahr %(year)s ist nicht in der Ausgabe (Jahre: %(years)s)."))
                % {"year": year, "years": ", ".join(map(str, edition.years))}
            ]
        region_type = values.get("region_type") or None
        if region_type is not None:
            known = types if types is not None else region_types(edition)
            if region_type not in known:
                errors["region_type"] = [
                    str(_("Die Art %(type)s kommt in der Ausgabe nicht vor (Arten: %(types)s)."))
                    % {"type": region_type, "types": ", ".join(known)}
                ]
        if year is None and default_year:
            year = edition.latest_year
        strong = {"yes": True, "no": False}.get(values.get("strong") or "")
        return cls(edition, year, region_type, strong, errors)

    def is_valid(self) -> bool:
        return not self.errors

    def apply(self, results: QuerySet[ResultRow]) -> QuerySet[ResultRow]:
        if self.year is not None:
            results = results.filter(year=self.year)
        if self.region_type is not None:
            results = results.filter(region__type=self.region_type)
        if self.strong is not None:
            results = results.filter(strong=self.strong)
        return results
