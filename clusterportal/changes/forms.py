"""One validation of a profile edit, for the portal's form and the API's PATCH.

`ProfileForm` is a ModelForm over the editable fields (profile_fields.EDITABLE);
`validate(initiative, data)` checks a partial set of values (the API sends only
what it changes) and answers JSON values ready for a change request, or raises
`InvalidChanges` naming each field and its reason. Texts are length-capped and
refused when they hold HTML markup (profiles are plain text; templates escape
every value anyway), and web addresses must be http(s).

`EditForm` is the portal's edit page around them: the profile form, rows of
partnerships, an uploaded member list, the edit token and a note; it checks
everything with `validate()`, the same call the API makes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterportal.changes import members, profile_fields
from clusterportal.lib.tables import TableError
from clusterportal.lib.text import by_label, collation_key
from clusterportal.registry.importing import ImportFailed
from clusterportal.registry.models import ClusterInitiative, Organisation
from clusterportal.taxonomy.models import TechnologyField

LONG_TEXT = 5000  # characters of a description, goals or services text
LONG_TEXTS = ["description", "description_en", "goals", "goals_en", "services", "services_en"]
MAX_PARTNERSHIPS = 100


class InvalidChanges(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


# A tag, a comment or a processing instruction: "<b", "</", "<!", "<?" ("a < b" stays text).
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def no_markup(value: object) -> None:
    if isinstance(value, str) and MARKUP.search(value):
        raise ValidationError(
            _("Bitte reinen Text ohne HTML-Auszeichnungen (<…>) eingeben."), code="markup"
        )


class PartnershipForm(forms.Form):
    country = forms.CharField(
        label=pgettext_lazy("Staat", "Land"), max_length=100, validators=[no_markup]
    )
    partner_region = forms.CharField(
        label=_("Partnerregion"), max_length=200, required=False, validators=[no_markup]
    )
    note = forms.CharField(
        label=_("Anmerkung"), max_length=300, required=False, validators=[no_markup]
    )


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
            self.fields[name].widget.attrs.update(maxlength=LONG_TEXT, rows=6)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_markup)

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
    lists = {"partnerships", "members"}
    form_data = {name: value for name, value in data.items() if name not in lists}
    if form_data:
        values.update(_validate_form(initiative, form_data, errors))
    if "partnerships" in data:
        try:
            values["partnerships"] = validate_partnerships(data["partnerships"])
        except ValidationError as error:
            errors["partnerships"] = error.messages
    if "members" in data:
        try:
            values["members"] = members.validate(data["members"], initiative)
        except ValidationError as error:
            errors["members"] = error.messages
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
    return {k: _form_value(v) for k, v in current.items() if k not in ("partnerships", "members")}


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


# The portal's edit page ---------------------------------------------------------

EXTRA_PARTNERSHIP_ROWS = 3
MAX_LISTED_ERRORS = 50  # of a member file; the rest are counted


class _RowFormSet(forms.BaseFormSet):
    """Rows of which any may stay empty: an empty row is no partnership (clearing one removes it)."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def rows(self) -> list[dict[str, str]]:
        return [form.cleaned_data for form in self.forms if form.has_changed()]


PartnershipFormSet = forms.formset_factory(
    PartnershipForm,
    formset=_RowFormSet,
    extra=EXTRA_PARTNERSHIP_ROWS,
    max_num=MAX_PARTNERSHIPS,
    validate_max=True,
    absolute_max=MAX_PARTNERSHIPS + EXTRA_PARTNERSHIP_ROWS,
)


class EditMetaForm(forms.Form):
    """What the page sends beside the profile's fields."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    # The values the editor started from, to name what moved in a conflict (never trusted).
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200_000)
    members_file = forms.FileField(
        label=_("Mitgliederliste hochladen (CSV oder XLSX)"),
        required=False,
        help_text=_(
            "Die Datei ersetzt die ganze Mitgliederliste. Spalten: organisation (Kurzname "
            "in der Datenbank) oder, für eine neue Organisation, name und kind; dazu role, "
            "since, until, bei neuen Organisationen auch website und city."
        ),
    )
    note = forms.CharField(
        label=_("Anmerkung für die Prüfung"),
        required=False,
        max_length=2000,
        validators=[no_markup],
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the field's id, its label and the reasons."""

    anchor: str
    label: str
    messages: list[str]


@dataclass(frozen=True)
class FieldChoice:
    slug: str
    name: str
    checked: bool


@dataclass(frozen=True)
class FieldGroupChoice:
    name: str
    slug: str
    choices: list[FieldChoice]


def starting_point(initiative: ClusterInitiative):
    """What an editor starts from: the public values with the open request's proposals,
    the edit token of that state, and the open request (or None)."""
    from clusterportal.changes.models import ChangeRequest, token_of

    public = profile_fields.current_values(initiative)
    request = ChangeRequest.objects.open().filter(initiative=initiative).first()
    start = {**public, **(request.changes if request is not None else {})}
    return start, token_of(public, request), request


def snapshot(values: dict[str, object]) -> str:
    """The started values for the hidden field; the member list as a digest (it may be long)."""
    members_json = json.dumps(values.get("members", []), sort_keys=True, default=str)
    digest = hashlib.blake2b(members_json.encode(), digest_size=12).hexdigest()
    return json.dumps({**values, "members": digest}, sort_keys=True, default=str)


class EditForm:
    """The edit page: profile fields, partnership rows, a member file, token and note."""

    def __init__(
        self,
        initiative: ClusterInitiative,
        data=None,
        files=None,
        *,
        start: dict[str, object] | None = None,
        token: str = "",
    ):
        self.initiative = initiative
        self.data = data
        start = start or {}
        bound = data is not None
        profile_initial = {
            name: start[name]
            for name in profile_fields.EDITABLE
            if name in start and name not in ("partnerships", "members")
        }
        # The form writes cleaned values onto its instance: a copy, never the caller's record.
        self.profile = ProfileForm(
            data, instance=copy.copy(initiative), initial=None if bound else profile_initial
        )
        self.partnerships = PartnershipFormSet(
            data, prefix="partnerships", initial=None if bound else start.get("partnerships")
        )
        self.meta = EditMetaForm(
            data, files, initial={"edit_token": token, "started": snapshot(start)}
        )
        self.member_count = len(start.get("members", [])) if start else None
        self.values: dict[str, object] = {}
        self.non_field_errors: list[str] = []
        self._limit_organisation_choices(start)

    def _limit_organisation_choices(self, start: dict[str, object]) -> None:
        """The select offers the current contact organisation and the member organisations
        (a registry may hold tens of thousands); any known short name is still accepted."""
        field = self.profile.fields["management_organisation"]
        chosen = self.profile["management_organisation"].value() or start.get(
            "management_organisation"
        )
        organisations = Organisation.objects.filter(
            models.Q(memberships__initiative=self.initiative) | models.Q(slug=chosen or "")
        ).distinct()
        field.widget.choices = [("", "–")] + by_label(organisations.values_list("slug", "name"))

    # Checking ------------------------------------------------------------------

    def is_valid(self) -> bool:
        valid = self.profile.is_valid()
        valid = self.partnerships.is_valid() and valid
        valid = self.meta.is_valid() and valid
        member_rows = self._read_member_file() if self.meta.is_valid() else None
        valid = valid and not self.meta.errors
        if not valid:
            self._mark_errors()
            return False
        data = self.profile.json_values()
        data["partnerships"] = self.partnerships.rows()
        if member_rows is not None:
            data["members"] = member_rows
        try:
            self.values = validate(self.initiative, data)
        except InvalidChanges as invalid:
            for name, messages in invalid.errors.items():
                if name in self.profile.fields:
                    self.profile.add_error(name, messages)
                elif name == "members":
                    self.meta.add_error("members_file", messages)
                else:
                    self.non_field_errors += messages
            self._mark_errors()
            return False
        return True

    def _read_member_file(self) -> list[dict[str, object]] | None:
        upload = self.meta.cleaned_data.get("members_file")
        if not upload:
            return None
        try:
            return members.read(upload.read(), upload.name, self.initiative)
        except TableError as error:
            self.meta.add_error("members_file", str(error))
        except ImportFailed as failure:
            listed = [str(e) for e in failure.errors[:MAX_LISTED_ERRORS]]
            more = len(failure.errors) - len(listed)
            if more:
                listed.append(_("… und %(count)s weitere Fehler") % {"count": more})
            self.meta.add_error(
                "members_file",
                [_("Die Mitgliederliste wurde nicht übernommen:"), *listed],
            )
        return None

    def _mark_errors(self) -> None:
        """Tie each field's errors to its input for screen readers (aria-describedby)."""
        for form in [self.profile, self.meta, *self.partnerships.forms]:
            for name in form.errors:
                if name not in form.fields:
                    continue
                bound = form[name]
                ids = [f"{bound.auto_id}-error"]
                if form.fields[name].help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    @property
    def clean_note(self) -> str:
        return self.meta.cleaned_data.get("note", "")

    @property
    def token(self) -> str | None:
        """The edit token the editor started from ("" when the page sent none: a conflict)."""
        return self.meta.cleaned_data.get("edit_token", "")

    def error_summary(self) -> list[ErrorLink]:
        links = []
        for name, errors in self.profile.errors.items():
            if name == "__all__":
                links.append(ErrorLink("profile-form", str(_("Profil")), list(errors)))
            elif name == "technology_fields":
                links.append(ErrorLink("technology-fields", self._label(name), list(errors)))
            else:
                links.append(ErrorLink(self.profile[name].auto_id, self._label(name), list(errors)))
        for number, form in enumerate(self.partnerships.forms, start=1):
            for name, errors in form.errors.items():
                label = _("Partnerschaft %(number)s: %(field)s") % {
                    "number": number,
                    "field": form.fields[name].label if name in form.fields else "",
                }
                links.append(ErrorLink(form[name].auto_id, str(label), list(errors)))
        if self.partnerships.non_form_errors():
            links.append(
                ErrorLink(
                    "partnerships",
                    str(profile_fields.label("partnerships")),
                    list(self.partnerships.non_form_errors()),
                )
            )
        for name, errors in self.meta.errors.items():
            anchor = self.meta[name].auto_id if name in self.meta.fields else "profile-form"
            label = str(self.meta.fields[name].label) if name in self.meta.fields else ""
            links.append(ErrorLink(anchor, label, list(errors)))
        if self.non_field_errors:
            links.append(ErrorLink("profile-form", str(_("Profil")), self.non_field_errors))
        return links

    def _label(self, name: str) -> str:
        return str(self.profile.fields[name].label or profile_fields.label(name))

    # Showing -------------------------------------------------------------------

    def technology_groups(self) -> list[FieldGroupChoice]:
        """The technology fields as checkboxes, grouped by their top field (one query)."""
        chosen = set(self.profile["technology_fields"].value() or [])
        fields = list(TechnologyField.objects.select_related(None))
        children: dict[int | None, list[TechnologyField]] = {}
        for field in fields:
            children.setdefault(field.parent_id, []).append(field)
        groups = []
        for top in sorted(children.get(None, []), key=_by_name):
            below = sorted(children.get(top.pk, []), key=_by_name)
            # Initiatives name the specific fields; the top one is offered where it has
            # none below it, or where a record already names it.
            choices = []
            if not below or top.slug in chosen:
                choices.append(FieldChoice(top.slug, top.localized_name, top.slug in chosen))
            choices += [FieldChoice(f.slug, f.localized_name, f.slug in chosen) for f in below]
            groups.append(FieldGroupChoice(top.localized_name, top.slug, choices))
        return groups

    def fieldsets(self) -> list[tuple[str, str, list]]:
        """(anchor, legend, bound fields) in the order of the page."""
        f = self.profile
        return [
            (
                "texts",
                str(_("Beschreibung")),
                [f[n] for n in ["description", "description_en", "goals", "goals_en"]]
                + [f[n] for n in ["services", "services_en", "activities_per_year"]],
            ),
            (
                "contact",
                str(_("Kontakt")),
                [f[n] for n in ["management_organisation", "contact_person", "contact_email"]]
                + [f["contact_phone"], f["contact_consent"]],
            ),
            (
                "address",
                str(_("Anschrift und Website")),
                [f[n] for n in ["street", "postcode", "city", "website"]],
            ),
            (
                "staff",
                str(_("Clustermanagement")),
                [f[n] for n in ["staff_count", "staff_fte", "staff_year"]],
            ),
            (
                "members",
                str(_("Mitglieder")),
                [f[n] for n in ["member_count", "member_count_year", "member_companies_count"]],
            ),
        ]

    # After a conflict ----------------------------------------------------------

    def moved_fields(self, now: dict[str, object]) -> list[tuple[str, str]] | None:
        """(label, value now) of the fields that changed since the editor started;
        None when the page did not say what it started from."""
        try:
            started = json.loads(self.meta.cleaned_data.get("started") or "")
        except ValueError:
            return None
        if not isinstance(started, dict):
            return None
        current = json.loads(snapshot(now))
        return [
            (profile_fields.label(name), _shown(current.get(name)))
            for name in profile_fields.EDITABLE
            if current.get(name) != started.get(name)
        ]

    def restart_from(self, token: str, now: dict[str, object]) -> None:
        """Keep the editor's input, with the token and values of now (a save may follow)."""
        data = self.data.copy()
        data["edit_token"] = token
        data["started"] = snapshot(now)
        self.meta = EditMetaForm(data)
        self.meta.is_valid()


def _by_name(field: TechnologyField) -> tuple[str, str]:
    return collation_key(field.localized_name)


def _shown(value: object, limit: int = 120) -> str:
    if isinstance(value, list | dict) or value is None:
        return ""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
