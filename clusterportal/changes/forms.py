"""One validation of a profile edit, for the portal's form and the API's PATCH.

`ProfileForm` is a ModelForm over the editable fields (profile_fields.EDITABLE);
`validate(initiative, data)` checks a partial set of values (the API sends only
what it changes) and answers JSON values ready for a change request, or raises
`InvalidChanges` naming each field and its reason. Texts are length-capped;
HTML stays text (templates escape it), and web addresses must be http(s).
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterportal.changes import profile_fields
from clusterportal.registry.models import ClusterInitiative, Organisation
from clusterportal.taxonomy.models import TechnologyField

LONG_TEXT = 5000  # characters of a description, goals or services text
LONG_TEXTS = ["description", "description_en", "goals", "goals_en", "services", "services_en"]
MAX_PARTNERSHIPS = 100


class InvalidChanges(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class PartnershipForm(forms.Form):
    country = forms.CharField(label=pgettext_lazy("Staat", "Land"), max_length=100)
    partner_region = forms.CharField(label=_("Partnerregion"), max_length=200, required=False)
    note = forms.CharField(label=_("Anmerkung"), max_length=300, required=False)


class ProfileForm(forms.ModelForm):
    management_organisation = forms.ModelChoiceField(
        label=_("Clustermanagement / Kontaktorganisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
    )
    technology_fields = forms.ModelMultipleChoiceField(
        label=_("Technologiefelder"),
        queryset=TechnologyField.objects.all(),
        to_field_name="slug",
        required=False,
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=300,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = ClusterInitiative
        fields = [*profile_fields.COLUMNS, "management_organisation", "technology_fields"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LONG_TEXTS:
            self.fields[name].max_length = LONG_TEXT
            self.fields[name].validators.append(MaxLengthValidator(LONG_TEXT))

    def json_values(self) -> dict[str, object]:
        """The cleaned values as a change request stores them."""
        values = {}
        for name in self.changed_fields_or_all():
            value = self.cleaned_data[name]
            if name == "management_organisation":
                value = value.slug if value else None
            elif name == "technology_fields":
                value = sorted(field.slug for field in value)
            else:
                value = profile_fields._column(value)
            values[name] = value
        return values

    def changed_fields_or_all(self) -> list[str]:
        return [name for name in self.fields if name in self.cleaned_data]


def validate(initiative: ClusterInitiative, data: dict[str, object]) -> dict[str, object]:
    """Check a partial edit (field -> value) against the record; JSON values or InvalidChanges."""
    unknown = sorted(set(data) - set(profile_fields.EDITABLE))
    if unknown:
        raise InvalidChanges(
            {name: [str(_("Dieses Feld kann nicht geändert werden."))] for name in unknown}
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    form_data = {name: value for name, value in data.items() if name != "partnerships"}
    if form_data:
        values.update(_validate_form(initiative, form_data, errors))
    if "partnerships" in data:
        try:
            values["partnerships"] = validate_partnerships(data["partnerships"])
        except ValidationError as error:
            errors["partnerships"] = error.messages
    if errors:
        raise InvalidChanges(errors)
    return values


def _validate_form(initiative, data: dict, errors: dict) -> dict[str, object]:
    current = profile_fields.current_values(initiative)
    # A ModelForm validates all its fields: give it the record's values for the rest.
    bound = {**_form_values(current), **{k: _form_value(v) for k, v in data.items()}}
    # The form writes cleaned values onto its instance: give it a copy, not the caller's record.
    form = ProfileForm(bound, instance=copy.copy(initiative))
    if not form.is_valid():
        errors.update({name: list(messages) for name, messages in form.errors.items()})
        return {}
    return {name: value for name, value in form.json_values().items() if name in data}


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def _form_values(current: dict[str, object]) -> dict[str, object]:
    return {k: _form_value(v) for k, v in current.items() if k != "partnerships"}


def validate_partnerships(rows) -> list[dict[str, str]]:
    if not isinstance(rows, list):
        raise ValidationError(_("Eine Liste von Partnerschaften erwartet."))
    if len(rows) > MAX_PARTNERSHIPS:
        raise ValidationError(_("Höchstens %(max)s Partnerschaften.") % {"max": MAX_PARTNERSHIPS})
    cleaned, messages = [], []
    for number, row in enumerate(rows, start=1):
        form = PartnershipForm(row if isinstance(row, dict) else {})
        if form.is_valid():
            cleaned.append(form.cleaned_data)
            continue
        for field, errors in form.errors.items():
            messages.append(
                _("Partnerschaft %(number)s, %(field)s: %(reason)s")
                % {"number": number, "field": field, "reason": " ".join(errors)}
            )
    if messages:
        raise ValidationError(messages)
    return sorted(cleaned, key=lambda r: (r["country"], r["partner_region"]))
