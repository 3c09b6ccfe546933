from django.shortcuts import render

from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.registry import search
from clusterportal.sitesearch.results import SiteSearchFilter

TEMPLATE = "sitesearch/search.html"


def site_search(request):
    filters = SiteSearchFilter(request.GET)
    context = {"filters": filters, "max_query_length": search.MAX_QUERY_LENGTH}
    if not filters.is_valid():
        return render(request, TEMPLATE, {**context, "errors": filters.errors}, status=400)
    if not filters.params["q"]:
        return render(request, TEMPLATE, context)
    try:
        page = filters.page()
    except PageOutOfRange as error:
        errors = {"page": [error.localized_message]}
        return render(request, TEMPLATE, {**context, "errors": errors}, status=404)
    return render(request, TEMPLATE, {**context, "page": page, "facets": filters.facets()})
