"""The parameters of the suggestion list (API) and of the network page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterportal.matching.sources import KINDS

MAX_LIMIT = 50
DEFAULT_LIMIT = 10


class RelatedForm(forms.Form):
    """GET /api/v1/initiatives/{slug}/related: which kind, how many."""

    kind = forms.ChoiceField(
        label=_("Art"), required=False, choices=[(kind, kind) for kind in KINDS]
    )
    limit = forms.IntegerField(label=_("Anzahl"), required=False, min_value=1, max_value=MAX_LIMIT)

    def kinds(self) -> tuple[str, ...]:
        kind = self.cleaned_data.get("kind")
        return (kind,) if kind else KINDS

    def limit_value(self) -> int:
        return self.cleaned_data.get("limit") or DEFAULT_LIMIT
