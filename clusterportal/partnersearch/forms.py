"""The forms of the partner search: a posting, a message of interest, a review, an outcome.

One validation for the page and the API: every rule names its field and says what to do.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.calls.models import Call
from clusterportal.lib.countries import country_choices
from clusterportal.partnersearch.models import (
    MAX_DESCRIPTION,
    Interest,
    Outcome,
    Posting,
    check_expiry,
)
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

DEFAULT_RUNTIME_DAYS = 90


def region_choices_queryset():
    """The Regionen and Kreise a posting may sit in or look for."""
    return (
        Region.objects.without_boundaries()
        .of_kind(Region.Kind.REGION, Region.Kind.KREIS)
        .order_by("kind", "name")
    )


class PostingForm(forms.ModelForm):
    """A new posting or an edit. `user` is the author: the initiative must be one they manage
    (checked here, so that the page and the API say the same)."""

    initiative = forms.ModelChoiceField(
        label=_("für die Initiative"), required=False, to_field_name="slug",
        queryset=ClusterInitiative.objects.all(),
        help_text=_("Leer lassen, wenn Sie für Ihre Organisation suchen."),
        error_messages={"invalid_choice": _("Keine Initiative mit diesem Kurznamen.")},
    )  # fmt: skip
    call = forms.ModelChoiceField(
        label=_("Förderaufruf"), required=False, to_field_name="slug",
        queryset=Call.objects.all(),
        error_messages={"invalid_choice": _("Kein Förderaufruf mit diesem Kurznamen.")},
    )  # fmt: skip
    technology_fields = forms.ModelMultipleChoiceField(
        label=_("Technologiefelder"), to_field_name="slug",
        queryset=TechnologyField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Bitte wählen Sie mindestens ein Technologiefeld."),
            "invalid_choice": _("Kein Technologiefeld mit dem Kurznamen %(value)s."),
        },
    )  # fmt: skip
    region = forms.ModelChoiceField(
        label=_("Sitz (Kreis oder Region)"), required=False, to_field_name="slug",
        queryset=region_choices_queryset(),
        error_messages={"invalid_choice": _("Kein Kreis und keine Region mit diesem Kurznamen.")},
    )  # fmt: skip
    regions_sought = forms.ModelMultipleChoiceField(
        label=_("gesuchte Regionen"), required=False, to_field_name="slug",
        queryset=region_choices_queryset(),
        error_messages={"invalid_choice": _("Kein Kreis und keine Region mit dem Kurznamen %(value)s.")},
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("gültig bis"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Höchstens ein Jahr; Sie werden vorher erinnert und können verlängern."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Posting
        fields = [
            "kind", "purpose", "title", "description", "initiative", "organisation_name",
            "region", "call", "technology_fields", "regions_sought", "countries_sought",
            "expires_on",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["countries_sought"].choices = country_choices()
        self.fields["countries_sought"].error_messages["invalid_choice"] = _(
            "%(value)s ist kein Ländercode nach ISO 3166-1."
        )
        self.fields["organisation_name"].required = False
        self.fields["description"].max_length = MAX_DESCRIPTION
        self.fields["technology_fields"].queryset = TechnologyField.objects.order_by(
            "parent__name", "name"
        )
        managed = [r.initiative for r in _managed_roles(user)]
        self.fields["initiative"].widget.choices = [("", "—")] + [(i.slug, i.name) for i in managed]
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault(
                "expires_on", timezone.localdate() + datetime.timedelta(days=DEFAULT_RUNTIME_DAYS)
            )
        if self.instance.pk is not None:
            self.initial["version"] = self.instance.version

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 5:
            raise ValidationError(_("Bitte geben Sie einen Titel mit mindestens 5 Zeichen an."))
        return title

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < 20:
            raise ValidationError(
                _("Bitte beschreiben Sie in mindestens 20 Zeichen, was Sie suchen.")
            )
        return text

    def clean_initiative(self):
        initiative = self.cleaned_data.get("initiative")
        if initiative is not None and not self.user.has_perm("registry.propose_change", initiative):
            raise ValidationError(
                _("Sie können nur für eine Initiative suchen, deren Management Sie angehören.")
            )
        return initiative

    def clean_expires_on(self) -> datetime.date:
        until = self.cleaned_data["expires_on"]
        try:
            check_expiry(until)
        except ValidationError as error:
            raise ValidationError(error.message_dict["expires_on"]) from None
        return until

    def clean_call(self):
        call = self.cleaned_data.get("call")
        if call is not None and call.status_at(timezone.now()) == Call.Status.CLOSED:
            raise ValidationError(_("Dieser Förderaufruf ist geschlossen."))
        return call

    def clean(self):
        data = super().clean()
        if not data.get("initiative") and not (data.get("organisation_name") or "").strip():
            self.add_error(
                "organisation_name",
                _("Bitte nennen Sie Ihre Organisation oder wählen Sie eine Initiative."),
            )
        if data.get("purpose") == Posting.Purpose.CALL_PARTNER and not data.get("call"):
            self.add_error(
                "call", _("Bitte wählen Sie den Förderaufruf, für den Sie Partner suchen.")
            )
        if data.get("purpose") != Posting.Purpose.CALL_PARTNER:
            data["call"] = None
        return data

    def save(self, commit: bool = True) -> Posting:
        posting = super().save(commit=False)
        if posting.initiative_id:
            posting.organisation_name = posting.initiative.name
            posting.region = posting.region or posting.initiative.region
        if commit:
            raise NotImplementedError("postings are saved through partnersearch.editing")
        return posting


def _managed_roles(user):
    from clusterportal.accounts.models import Role

    if not user.is_authenticated:
        return []
    return list(
        Role.objects.filter(user=user, kind=Role.Kind.CLUSTER_MANAGER)
        .select_related("initiative")
        .order_by("initiative__name")
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("publish", _("veröffentlichen")), ("reject", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Begründung (bei Ablehnung)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Bitte nennen Sie den Grund der Ablehnung."))
        return data


class InterestForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass die Person, die die Suche eingestellt hat, meinen Namen, "
            "meine Organisation und meine E-Mail-Adresse erhält, um mir zu antworten."
        ),
        error_messages={"required": _("Ohne Ihr Einverständnis kann die Nachricht nicht gesendet werden.")},
    )  # fmt: skip

    class Meta:
        model = Interest
        fields = ["sender_name", "sender_organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_message(self) -> str:
        text = self.cleaned_data["message"].strip()
        if len(text) < 10:
            raise ValidationError(_("Bitte schreiben Sie mindestens 10 Zeichen."))
        return text


class RenewForm(forms.Form):
    expires_on = forms.DateField(
        label=_("gültig bis"), widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_expires_on(self) -> datetime.date:
        until = self.cleaned_data["expires_on"]
        try:
            check_expiry(until)
        except ValidationError as error:
            raise ValidationError(error.message_dict["expires_on"]) from None
        return until


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["result", "note"]
        widgets = {"result": forms.RadioSelect}
