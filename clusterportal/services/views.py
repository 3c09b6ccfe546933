"""The catalogue of the ClusterAgentur's services, requests and their steps (docs/services.md).

Permissions are the rules' (accounts/rules.py, services/rules.py): a request is made by a
manager of the initiative, handled by the curators (the ClusterAgentur), seen by both.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.registry.models import ClusterInitiative
from clusterportal.services import forms
from clusterportal.services.filters import RequestFilter
from clusterportal.services.models import STEPS, Service, ServiceRequest, StepRefused


def _managed(user) -> list[ClusterInitiative]:
    """The initiatives the person may request services for (services.request)."""
    from clusterportal.accounts.models import Role

    if not user.is_authenticated:
        return []
    ids = Role.objects.filter(user=user, kind=Role.Kind.CLUSTER_MANAGER).values("initiative")
    return list(ClusterInitiative.objects.filter(pk__in=ids).order_by("name"))


def service_list(request):
    services = Service.objects.order_by("position", "title", "pk")
    context = {"services": services, "managed": _managed(request.user)}
    return render(request, "services/list.html", context)


def service_detail(request, slug):
    service = get_object_or_404(Service, slug=slug)
    context = {
        "service": service,
        "courses": list(service.upcoming_courses()) if service.is_course else [],
        "managed": _managed(request.user),
    }
    return render(request, "services/detail.html", context)


@login_required
def new_request(request):
    managed = _managed(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {"service": request.GET.get("service"), "initiative": request.GET.get("initiative")}
    form = forms.RequestForm(data, initial=initial, managed=managed)
    context = {"form": form, "managed": managed}
    if data is None or not form.is_valid():
        return render(request, "services/new.html", context, status=400 if data else 200)
    initiative = form.cleaned_data["initiative"]
    if not request.user.has_perm("services.request", initiative):
        form.add_error(
            "initiative",
            _(
                "Sie verwalten „%(name)s“ nicht; anfragen kann nur das Clustermanagement der Initiative."
            )
            % {"name": initiative.name},
        )
        return render(request, "services/new.html", context, status=403)
    try:
        made = ServiceRequest.open_for(
            form.cleaned_data["service"], initiative, request.user, form.cleaned_data["message"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "services/new.html", context, status=400)
    except StepRefused as refused:
        form.add_error(None, refused.message)
        return render(request, "services/new.html", context, status=409)
    messages.success(request, _("Ihre Anfrage ist bei der ClusterAgentur eingegangen."))
    return redirect(made)


@login_required
def request_list(request):
    """The staff dashboard of open requests and their age; managers see their own."""
    filters = RequestFilter(request.GET, request.user)
    context = {"filters": filters, "handles": request.user.has_perm("services.handle")}
    if not filters.is_valid():
        return render(
            request, "services/requests.html", {**context, "errors": filters.errors}, status=400
        )
    try:
        page = filters.page()
    except PageOutOfRange as error:
        errors = {"page": [error.localized_message]}
        return render(request, "services/requests.html", {**context, "errors": errors}, status=404)
    return render(request, "services/requests.html", {**context, "page": page})


def _visible(request, pk) -> ServiceRequest:
    service_request = get_object_or_404(ServiceRequest.objects.for_list(), pk=pk)
    if not request.user.has_perm("services.view_request", service_request):
        raise PermissionDenied
    return service_request


def _detail(request, service_request, forms_in_use=None, status=200, problem=""):
    handles = request.user.has_perm("services.handle")
    step_forms = {
        "assign": forms.AssignForm(initial={"advisor": service_request.advisor_id}),
        "schedule": forms.ScheduleForm(),
        "close": forms.CloseForm(),
        "ask_feedback": forms.AskFeedbackForm(),
        "feedback": forms.FeedbackForm(),
        **(forms_in_use or {}),
    }
    timeline = service_request.history.select_related("history_user").order_by("history_date")
    context = {
        "service_request": service_request,
        "problem": problem,
        "handles": handles,
        "gives_feedback": request.user.has_perm("services.give_feedback", service_request),
        "forms": step_forms,
        "timeline": [
            (entry, STEPS.get(entry.history_change_reason or "", "")) for entry in timeline
        ],
    }
    return render(request, "services/request.html", context, status=status)


@login_required
def request_detail(request, pk):
    return _detail(request, _visible(request, pk))


# Each step: its permission, its form, and the model method it calls with the form's data.
ACTIONS = {
    "assign": ("services.handle", forms.AssignForm,
               lambda r, user, data: r.assign(user, data["advisor"])),
    "schedule": ("services.handle", forms.ScheduleForm,
                 lambda r, user, data: r.schedule(user, data["scheduled_for"], data["note"])),
    "close": ("services.handle", forms.CloseForm, lambda r, user, data: r.close(user, data["note"])),
    "ask_feedback": ("services.handle", forms.AskFeedbackForm,
                     lambda r, user, data: r.ask_for_feedback(user)),
    "feedback": ("services.give_feedback", forms.FeedbackForm,
                 lambda r, user, data: r.give_feedback(user, data["score"], data["text"])),
}  # fmt: skip
DONE = {
    "assign": gettext_lazy("Die Anfrage ist zugewiesen."),
    "schedule": gettext_lazy("Der Termin ist eingetragen."),
    "close": gettext_lazy("Die Anfrage ist abgeschlossen."),
    "ask_feedback": gettext_lazy("Die Bitte um Rückmeldung ist verschickt."),
    "feedback": gettext_lazy("Danke für Ihre Rückmeldung."),
}


@login_required
@require_POST
def act(request, pk, action):
    """One step on a request; a refused step answers with its reason, the input kept."""
    service_request = _visible(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    permission, form_class, call = ACTIONS[action]
    if not request.user.has_perm(permission, service_request):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, service_request, {action: form}, status=400)
    try:
        call(service_request, request.user, form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        problem = " ".join(error.messages)
        return _detail(request, service_request, {action: form}, status=400, problem=problem)
    except StepRefused as refused:
        form.add_error(None, refused.message)
        # Another person's step may have come first: show the request as it is now.
        service_request.refresh_from_db()
        return _detail(
            request, service_request, {action: form}, status=409, problem=refused.message
        )
    messages.success(request, str(DONE[action]))
    return redirect(service_request)
