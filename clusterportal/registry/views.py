from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from clusterportal.lib import caching, throttle
from clusterportal.lib.api import error_response
from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.registry import admission, exporting, labels, search
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.mapping import InitiativeMap
from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.profile import Profile


def initiative_list(request):
    filters = InitiativeFilter(request.GET)
    context = {"filters": filters, "max_query_length": search.MAX_QUERY_LENGTH}
    if not filters.is_valid():
        return render(
            request, "registry/list.html", {**context, "errors": filters.errors}, status=400
        )

    def respond():
        try:
            page = filters.page()
        except PageOutOfRange as error:
            errors = {"page": [error.localized_message]}
            return render(request, "registry/list.html", {**context, "errors": errors}, status=404)
        context.update(page=page, facets=filters.facets())
        return render(request, "registry/list.html", context)

    return caching.cached_response(request, "list-page", filters.index.version, respond)


def export(request, fmt):
    """Every result of a list-page query (same filters, same sort) as a file."""
    if not throttle.allowed(request, "export"):
        return _too_many_exports(request, fmt)
    filters = InitiativeFilter(request.GET)
    errors = filters.errors
    if not errors:
        try:
            content = exporting.search_results(request, filters, fmt)
        except exporting.TooManyRows as error:
            errors = {"export": [str(error)]}
    if errors:
        if fmt in ("json", "geojson"):
            # The one error shape of the API (lib/api.py), in the page's language.
            return error_response(400, " ".join(sum(errors.values(), [])), fields=errors)
        return render(
            request, "registry/list.html", {"filters": filters, "errors": errors}, status=400
        )
    export_format = exporting.FORMATS[fmt]
    response = HttpResponse(content, content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(fmt)}"'
    return response


def _too_many_exports(request, fmt: str) -> HttpResponse:
    """429 with Retry-After: JSON in the API's error shape for the JSON formats, else the
    list page with the message."""
    if fmt in ("json", "geojson"):
        wait = throttle.retry_after("export")
        message = f"Too many exports from this client; try again in {wait} seconds."
        response = error_response(429, message)
    else:
        context = {
            "filters": InitiativeFilter(request.GET),
            "errors": {"export": [exporting.TOO_MANY_EXPORTS]},
        }
        response = render(request, "registry/list.html", context, status=429)
    response["Retry-After"] = str(throttle.retry_after("export"))
    return response


def detail(request, slug):
    profile = Profile.load(slug)
    if profile is None:
        raise Http404("no published initiative with this slug")
    return render(
        request, "registry/detail.html", {"profile": profile, "initiative": profile.initiative}
    )


@login_required
def label_dashboard(request):
    """Labels running out or just run out, for the curators (docs/labels.md)."""
    if not request.user.has_perm("registry.curate"):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        "rows": labels.dashboard(today),
        "today": today,
        "ahead": labels.DASHBOARD_AHEAD_MONTHS,
        "behind": labels.DASHBOARD_BEHIND_MONTHS,
    }
    return render(request, "registry/labels.html", context)


def initiative_map(request):
    """The list's filters, drawn over the Kreis outlines (a table without JavaScript)."""
    filters = InitiativeFilter(request.GET)
    if not filters.is_valid():
        return render(
            request, "registry/map.html", {"filters": filters, "errors": filters.errors}, status=400
        )
    context = {
        "filters": filters,
        "facets": filters.facets(),
        "map": InitiativeMap.of(filters.queryset(), filters.index.name_key),
        "kinds": ClusterInitiative.Kind.choices,
    }
    return render(request, "registry/map.html", context)


def admission_criteria(request):
    """The criteria, how the registry checks them and how many entries meet each."""
    counts = ClusterInitiative.objects.published().aggregate(
        total=Count("pk"),
        all=Count("pk", filter=admission.condition("all")),
        **{c.code: Count("pk", filter=admission.condition(c.code)) for c in admission.CRITERIA},
    )
    criteria = [(criterion, counts[criterion.code]) for criterion in admission.CRITERIA]
    return render(request, "registry/criteria.html", {"criteria": criteria, "counts": counts})
