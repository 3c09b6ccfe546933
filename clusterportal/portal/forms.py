from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# A light spam guard, as on the admission form: people leave it empty (hidden, and it says so).
HONEYPOT = "homepage"


class FeedbackForm(forms.Form):
    """Feedback on barriers: what is hard to use, where; name and address optional.

    Markup is kept as text: a report on a barrier may well quote HTML ("<img> without
    alt"). The pages escape it and the mail is plain text.
    """

    message = forms.CharField(
        label=_("Ihre Rückmeldung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Welche Inhalte oder Funktionen sind für Sie nicht oder nur schwer nutzbar?"),
    )
    page = forms.CharField(
        label=_("Seite (Adresse oder Titel, optional)"), max_length=500, required=False
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-Mail (optional)"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen."),
    )
