"""Template helpers of the registry pages."""

from urllib.parse import urlsplit

from django import forms, template

from clusterportal.templatetags.portal import query_toggle, query_with

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_href(context, facet, value):
    """The link that selects or deselects one facet value, keeping every other filter.

    Multi-valued filters toggle the value; a single-valued one ("Stand") is replaced.
    """
    field = context["filters"].form.fields[facet.name]
    if isinstance(field, forms.MultipleChoiceField):
        return query_toggle(context, facet.name, value.value)
    return query_with(
        context, **{facet.name: None if value.selected else value.value, "page": None}
    )


@register.simple_tag
def selected_values(facets) -> list:
    """(facet, value) of every selected facet value, in display order (the active filters)."""
    return [(facet, value) for facet in facets for value in facet.values if value.selected]


@register.filter
def http_url(url: str) -> str:
    """The URL if it is an absolute http(s) address, else "" (no javascript: or data: links).

    The models and the importer validate URLs already; this keeps a record written
    around them from turning into a script link on a public page.
    """
    if not url:
        return ""
    parts = urlsplit(str(url).strip())
    return str(url).strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else ""
