from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from clusterportal.registry import exporting
from clusterportal.registry.filters import InitiativeFilter, PageOutOfRange
from clusterportal.registry.models import ClusterInitiative


def initiative_list(request):
    filters = InitiativeFilter.from_params(request.GET)
    context = {"filters": filters}
    if not filters.is_valid():
        return render(
            request, "registry/list.html", {**context, "errors": filters.errors}, status=400
        )
    try:
        page = filters.page()
    except PageOutOfRange as error:
        return render(
            request, "registry/list.html", {**context, "errors": {"page": [str(error)]}}, status=404
        )
    return render(
        request, "registry/list.html", {**context, "page": page, "facets": filters.facets()}
    )


def export(request, fmt):
    """Every result of a list-page query (same filters, same sort) as a file."""
    filters = InitiativeFilter.from_params(request.GET)
    errors = filters.errors
    if not errors:
        try:
            rows = exporting.result_rows(filters.ordered(), request.build_absolute_uri)
        except exporting.TooManyRows as error:
            errors = {"export": [str(error)]}
    if errors:
        if fmt in ("json", "geojson"):
            return JsonResponse(
                {"detail": " ".join(sum(errors.values(), [])), "errors": errors}, status=400
            )
        return render(
            request, "registry/list.html", {"filters": filters, "errors": errors}, status=400
        )
    export_format = exporting.FORMATS[fmt]
    response = HttpResponse(export_format.write(rows), content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(fmt)}"'
    return response


def detail(request, slug):
    initiative = get_object_or_404(ClusterInitiative.objects.published(), slug=slug)
    return render(request, "registry/detail.html", {"initiative": initiative})


def initiative_map(request):
    return render(request, "registry/map.html", {})
