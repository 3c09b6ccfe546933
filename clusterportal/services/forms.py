"""The forms of the services: a request, and each step on it (docs/services.md)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clusterportal.registry.models import ClusterInitiative
from clusterportal.services.models import MAX_MESSAGE, SCORES, Service

SCORE_ERROR = _("Bitte eine Bewertung von 1 bis 5 wählen.")


class RequestForm(forms.Form):
    """Any initiative's slug is a valid choice here, so that asking for one the person
    does not manage gets its own message from the view (a 403), not "invalid choice"."""

    service = forms.ModelChoiceField(
        label=_("Leistung"), queryset=Service.objects.offered(), to_field_name="slug",
        error_messages={"invalid_choice": _("Diese Leistung nimmt zurzeit keine Anfragen an.")},
    )  # fmt: skip
    initiative = forms.ModelChoiceField(
        label=_("für die Initiative"), queryset=ClusterInitiative.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Keine Initiative mit diesem Kurznamen.")},
    )  # fmt: skip
    message = forms.CharField(
        label=_("Ihr Anliegen"), max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was brauchen Sie, bis wann, und wer ist Ihre Ansprechperson?"),
    )  # fmt: skip

    def __init__(self, *args, managed=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers the initiatives the person manages; the field takes any slug.
        self.fields["initiative"].widget.choices = [(i.slug, i.name) for i in managed]
        self.fields["service"].widget.choices = [
            (s.slug, s.localized_title) for s in Service.objects.offered()
        ]


def advisors():
    """The ClusterAgentur's people: the active accounts with a curator's role."""
    from clusterportal.accounts.models import Role

    return (
        get_user_model()
        .objects.filter(is_active=True, roles__kind=Role.Kind.CURATOR)
        .distinct()
        .order_by("first_name", "email")
    )


class AdvisorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class AssignForm(forms.Form):
    advisor = AdvisorChoice(label=_("Beraterin / Berater"), queryset=advisors())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors()


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Termin"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Ort oder Zugang"), max_length=300, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Abschlussvermerk"), max_length=MAX_MESSAGE, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class AskFeedbackForm(forms.Form):
    pass


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Wie hilfreich war die Leistung? (1 = wenig, 5 = sehr)"),
        choices=[(n, str(n)) for n in SCORES], coerce=int, widget=forms.RadioSelect,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )  # fmt: skip
    text = forms.CharField(
        label=_("Ihre Rückmeldung"), max_length=MAX_MESSAGE, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
