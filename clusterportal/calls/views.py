"""Calls and programmes: the list with filters and facets, a call with its eligibility
rules (and, for those who act for an initiative, the check), a programme with its
subsidy calculator, and the iCal feed of deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clusterportal.accounts.models import Role
from clusterportal.calls import eligibility, subsidy
from clusterportal.calls.calendar import deadline_calendar
from clusterportal.calls.filters import CallFilter, ProgrammeFilter
from clusterportal.calls.models import Application, Call, Programme, ProgrammeFollow
from clusterportal.lib.filters import render_filtered

ICAL = "text/calendar; charset=utf-8"
LIST = "calls/call_list.html"


@require_safe
def call_list(request):
    return render_filtered(request, LIST, CallFilter(request.GET))


@require_safe
def deadline_feed(request):
    """The deadlines of the list's filters as a subscribable iCal feed (without paging)."""
    filters = CallFilter(request.GET)
    if not filters.is_valid():
        return HttpResponse(str(filters.errors), status=400, content_type="text/plain")
    calls = list(filters.queryset()[:500])
    return HttpResponse(deadline_calendar(calls, _("Förderaufrufe: Fristen")), content_type=ICAL)


def _checks_for(request, call: Call) -> tuple[list[eligibility.Check], str]:
    """The eligibility checks the visitor may see on this page: a cluster manager's own
    initiatives, or (for curators and regional contacts) the one named by ?initiative=."""
    user = request.user
    if not user.is_authenticated:
        return [], ""
    rules = call.parsed_rules()
    asked = request.GET.get("initiative", "")
    initiatives = eligibility.initiatives_for_check(rules)
    if asked:
        initiative = initiatives.filter(slug=asked).first()
        if initiative is None or not user.has_perm("calls.check_eligibility", initiative):
            return [], _("Diese Initiative können Sie hier nicht prüfen.")
        return [eligibility.check(rules, initiative)], ""
    managed = Role.objects.filter(user=user, kind=Role.Kind.CLUSTER_MANAGER).values("initiative")
    return [eligibility.check(rules, i) for i in initiatives.filter(pk__in=managed)], ""


@require_safe
def call_detail(request, slug):
    call = get_object_or_404(
        Call.objects.select_related("programme").prefetch_related("deadlines", "technology_fields"),
        slug=slug,
    )
    checks, refused = _checks_for(request, call)
    return render(request, "calls/call_detail.html", {
        "call": call, "rules": call.parsed_rules(), "checks": checks, "refused": refused,
        "now": timezone.now(), "next_deadline": call.next_deadline(),
        "accepts_applications": call.form_fields.exists(),
        "check_rows": _with_applications(request.user, call, checks),
    })  # fmt: skip


def _with_applications(user, call: Call, checks) -> list[tuple]:
    """Each check with the initiative's running application to this call (or None) and
    whether the person may begin one for it."""
    if not checks:
        return []
    found = Application.objects.filter(
        call=call, initiative__in=[check.initiative for check in checks]
    ).exclude(status=Application.Status.WITHDRAWN)
    by_initiative = {application.initiative_id: application for application in found}
    return [(check, by_initiative.get(check.initiative.pk),
             user.has_perm("calls.apply", check.initiative)) for check in checks]  # fmt: skip


@require_safe
def programme_list(request):
    filters = ProgrammeFilter(request.GET)
    if not filters.is_valid():
        context = {"filters": filters, "errors": filters.errors}
        return render(request, "calls/programme_list.html", context, status=400)
    programmes = filters.queryset()
    return render(request, "calls/programme_list.html", {
        "filters": filters, "programmes": programmes,
    })  # fmt: skip


@require_POST
def follow_programme(request, slug):
    """Follow or stop following a programme (the button on its page); for accounts only."""
    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.has_perm("accounts.use_account"):
        return redirect_to_login(programme.get_absolute_url())
    if request.POST.get("follow") == "1":
        ProgrammeFollow.objects.get_or_create(user=request.user, programme=programme)
        messages.success(request, _("Sie folgen diesem Programm: Sie erhalten eine E-Mail bei "
                                    "neuen Aufrufen und 14 und 3 Tage vor jeder Frist."))  # fmt: skip
    else:
        ProgrammeFollow.objects.filter(user=request.user, programme=programme).delete()
        messages.success(request, _("Sie folgen diesem Programm nicht mehr."))
    return redirect(programme.get_absolute_url() + "#follow-heading")


@require_safe
def programme_detail(request, slug):
    """A programme, its calls, and its calculator where it has a rate and a cap: the form
    is read from the query (GET, nothing is stored), as the API's twin reads it."""
    programme = get_object_or_404(Programme, slug=slug)
    calls = Call.objects.with_status().filter(programme=programme).prefetch_related("deadlines")
    following = (
        request.user.is_authenticated
        and ProgrammeFollow.objects.filter(user=request.user, programme=programme).exists()
    )
    context = {"programme": programme, "calls": calls, "following": following}
    status = 200
    if programme.has_calculator:
        asked = bool(request.GET)
        form = subsidy.SubsidyForm(request.GET if asked else None)
        context["form"] = form
        if asked and form.is_valid():
            context["quote"] = subsidy.calculate(programme, form.cleaned_data)
        elif asked:
            status = 400
    return render(request, "calls/programme_detail.html", context, status=status)
