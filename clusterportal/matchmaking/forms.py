"""The profile form, and the participant list's filter (one validation for page and API)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.filters import ListFilter
from clusterportal.matchmaking.models import MAX_TEXT, Matchmaking, Participant
from clusterportal.taxonomy.models import TechnologyField


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "organisation", "offer", "seek", "technology_fields"]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "seek": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "technology_fields": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "offer": _(
                "Was Sie anbieten: Produkte, Kompetenzen, Projekte (höchstens 1000 Zeichen)."
            ),
            "seek": _("Wen oder was Sie suchen (höchstens 1000 Zeichen)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technology_fields"].queryset = TechnologyField.objects.top_level().order_by(
            "name"
        )
        self.fields["technology_fields"].required = False


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Technologiefeld"), required=False, to_field_name="slug",
        queryset=TechnologyField.objects.top_level(),
        error_messages={"invalid_choice": _("Dieses Technologiefeld gibt es nicht.")},
    )  # fmt: skip
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=100)


class ParticipantFilter(ListFilter[Participant]):
    form_class = ParticipantFilterForm

    def __init__(self, data, matchmaking: Matchmaking):
        super().__init__(data)
        self.matchmaking = matchmaking

    def queryset(self) -> QuerySet[Participant]:
        return (
            self.matchmaking.participants.active()
            .search(self.params["q"], self.params["field"])
            .prefetch_related("technology_fields")
        )
