from django.shortcuts import get_object_or_404, render

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


def detail(request, slug):
    initiative = get_object_or_404(ClusterInitiative.objects.published(), slug=slug)
    return render(request, "registry/detail.html", {"initiative": initiative})


def initiative_map(request):
    return render(request, "registry/map.html", {})
