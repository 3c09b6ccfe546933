"""The one filter of the list of service requests (the staff dashboard, docs/services.md).

`status`: "open" (the default: requested, assigned or scheduled), one status, or "all";
`service`: a service's slug; `advisor`: "me" for the requests assigned to the person
looking. The list shows what the person may see (ServiceRequestQuerySet.visible_to), the
oldest first: the open request that has waited longest is at the top.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.filters import ListFilter
from clusterportal.services.models import Service, ServiceRequest

OPEN = "open"
ALL = "all"
MAX_PAGE_SIZE = 100


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Stand"), required=False,
        choices=[(OPEN, _("offen")), *ServiceRequest.Status.choices, (ALL, _("alle"))],
    )  # fmt: skip
    service = forms.SlugField(label=_("Leistung"), required=False, max_length=100)
    advisor = forms.ChoiceField(
        label=_("Beratung"), required=False, choices=[("", _("alle")), ("me", _("ich"))]
    )
    page = forms.IntegerField(label=_("Seite"), required=False, min_value=1)
    page_size = forms.IntegerField(
        label=_("Einträge pro Seite"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def clean_service(self) -> str:
        slug = self.cleaned_data.get("service")
        if slug and not Service.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Keine Leistung mit diesem Kurznamen."))
        return slug


class RequestFilter(ListFilter[ServiceRequest]):
    form_class = RequestFilterForm

    def __init__(self, data, user) -> None:
        super().__init__(data)
        self.user = user

    def queryset(self) -> QuerySet[ServiceRequest]:
        requests = ServiceRequest.objects.visible_to(self.user).for_list()
        status = self.params.get("status") or OPEN
        if status == OPEN:
            requests = requests.open()
        elif status != ALL:
            requests = requests.filter(status=status)
        if self.params.get("service"):
            requests = requests.filter(service__slug=self.params["service"])
        if self.params.get("advisor") == "me":
            requests = requests.filter(advisor=self.user)
        return requests.order_by("created_at", "pk")
