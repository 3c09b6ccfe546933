"""The subsidy calculator of a programme with a rate and a cap (docs/calls.md).

    subsidy = min(rate × cost, cap), the cap by certification (first or renewal)

For the GOLD programme (the ministry's subsidy for the ESCA "Cluster Management Excellence
Label GOLD"): 50 % of the cost, at most EUR 5,000 for a first and EUR 4,250 for a renewed
certification, for certifications from 1.10.2023 to 30.6.2027 (the ministry's programme
page, data/calls/programmes.json). Where the programme pays for a label
(`Programme.subsidised_label`), the label's award date must lie in the programme's window;
a certification outside it is refused with the reason, and so is one whose date the data
does not show precisely enough to decide.

The form is shared by the programme page and the API (`SubsidyForm`): a bad value is a 400
that names the parameter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterportal.calls.eligibility import describe_label, latest_label
from clusterportal.calls.models import Programme
from clusterportal.registry.models import ClusterInitiative, Label

CENT = Decimal("0.01")
FIRST, RENEWAL = "first", "renewal"


class SubsidyForm(forms.Form):
    # The bounds are checked in clean_cost: as min_value they would enter the OpenAPI
    # schema as Decimals (lib.api.query_parameters reads an IntegerField's bounds).
    cost = forms.DecimalField(label=gettext_lazy("Kosten (EUR)"), max_digits=11, decimal_places=2)
    certification = forms.ChoiceField(
        label=gettext_lazy("Zertifizierung"),
        choices=[(FIRST, gettext_lazy("Erstzertifizierung")),
                 (RENEWAL, gettext_lazy("Rezertifizierung"))],
        initial=FIRST, required=False,
    )  # fmt: skip
    initiative = forms.SlugField(label=gettext_lazy("Initiative"), required=False, max_length=100)
    awarded_on = forms.DateField(label=gettext_lazy("Tag der Zertifizierung"), required=False)

    def clean_cost(self) -> Decimal:
        cost = self.cleaned_data["cost"]
        if cost <= 0:
            raise forms.ValidationError(_("Die Kosten müssen größer als 0 sein."))
        return cost

    def clean_initiative(self) -> ClusterInitiative | None:
        slug = self.cleaned_data.get("initiative")
        if not slug:
            return None
        found = ClusterInitiative.objects.published().prefetch_related("labels").filter(slug=slug)
        initiative = found.first()
        if initiative is None:
            raise forms.ValidationError(
                _("Keine veröffentlichte Initiative mit dem Kurznamen „%(slug)s“.") % {"slug": slug}
            )
        return initiative

    def clean(self):
        data = super().clean()
        if data.get("initiative") and data.get("awarded_on"):
            self.add_error(
                "awarded_on", _("Entweder eine Initiative (ihr Label) oder ein Tag, nicht beides.")
            )
        return data


@dataclass(frozen=True)
class Quote:
    cost: Decimal
    certification: str
    rate_percent: Decimal
    cap: Decimal
    subsidy: Decimal | None  # None: refused
    refused: str = ""  # the reason, where refused
    label: str = ""  # the label the dates were read from, in words
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> Decimal:
        return (self.cost * self.rate_percent / 100).quantize(CENT, ROUND_HALF_UP)


class NoCalculator(Exception):
    """The programme has no rate and cap to compute with."""


def cap_for(programme: Programme, certification: str) -> Decimal:
    if certification == RENEWAL and programme.cap_renewal_eur is not None:
        return programme.cap_renewal_eur
    assert programme.cap_eur is not None
    return programme.cap_eur


def _window_text(programme: Programme) -> str:
    return _("%(first)s bis %(last)s") % {
        "first": programme.valid_from.isoformat() if programme.valid_from else "…",
        "last": programme.valid_until.isoformat() if programme.valid_until else "…",
    }


def outside_window(programme: Programme, day: datetime.date) -> bool:
    before = programme.valid_from is not None and day < programme.valid_from
    after = programme.valid_until is not None and day > programme.valid_until
    return before or after


def label_refusal(programme: Programme, label: Label) -> str:
    """Why the label's certification is outside the programme's window ("" if inside)."""
    window = _window_text(programme)
    if label.awarded_on is not None:
        if outside_window(programme, label.awarded_on):
            return _("Die Zertifizierung am %(day)s liegt außerhalb des Förderzeitraums %(window)s.") % {
                "day": label.awarded_on.isoformat(), "window": window}  # fmt: skip
        return ""
    if label.awarded_year is None:
        return _("Der Tag der Zertifizierung ist nicht bekannt; er muss im Förderzeitraum "
                 "%(window)s liegen.") % {"window": window}  # fmt: skip
    first = datetime.date(label.awarded_year, 1, 1)
    last = datetime.date(label.awarded_year, 12, 31)
    if outside_window(programme, first) and outside_window(programme, last):
        return _("Die Zertifizierung im Jahr %(year)s liegt außerhalb des Förderzeitraums %(window)s.") % {
            "year": label.awarded_year, "window": window}  # fmt: skip
    if outside_window(programme, first) or outside_window(programme, last):
        return _("Bekannt ist nur das Jahr der Zertifizierung, %(year)s; es liegt nur zum Teil "
                 "im Förderzeitraum %(window)s.") % {"year": label.awarded_year, "window": window}  # fmt: skip
    return ""


def calculate(programme: Programme, params: dict) -> Quote:
    """The subsidy for the cleaned parameters of SubsidyForm."""
    if not programme.has_calculator:
        raise NoCalculator(programme.slug)
    assert programme.rate_percent is not None
    certification = params.get("certification") or FIRST
    cost: Decimal = params["cost"]
    cap = cap_for(programme, certification)
    refused, described, notes = "", "", []
    initiative: ClusterInitiative | None = params.get("initiative")
    awarded_on: datetime.date | None = params.get("awarded_on")
    if programme.subsidised_label:
        kind = Label.Kind(programme.subsidised_label).label
        if initiative is not None:
            label = latest_label(initiative, [programme.subsidised_label])
            if label is None:
                notes.append(_("%(name)s hat in der Clusterdatenbank kein Label %(kind)s; der "
                               "Tag der Zertifizierung wird geprüft, sobald es eingetragen ist.")
                             % {"name": initiative.name, "kind": kind})  # fmt: skip
            else:
                described = f"{initiative.name}: {describe_label(label)}"
                refused = label_refusal(programme, label)
        elif awarded_on is not None:
            if outside_window(programme, awarded_on):
                refused = _("Die Zertifizierung am %(day)s liegt außerhalb des Förderzeitraums %(window)s.") % {
                    "day": awarded_on.isoformat(), "window": _window_text(programme)}  # fmt: skip
        else:
            notes.append(_("Der Tag der Zertifizierung muss im Förderzeitraum %(window)s liegen.")
                         % {"window": _window_text(programme)})  # fmt: skip
    quote = Quote(cost, certification, programme.rate_percent, cap, None, refused, described, notes)
    if refused:
        return quote
    return Quote(
        cost, certification, programme.rate_percent, cap, min(quote.share, cap), "",
        described, notes,
    )  # fmt: skip
