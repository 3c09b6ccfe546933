"""Template helpers shared by all apps."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one).

    Keeps every other filter, so pagination and sorting links stay on the same result set.
    """
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_toggle(context, key, value):
    """The current query string with one value of a multi-valued filter toggled; page reset."""
    query: QueryDict = context["request"].GET.copy()
    values = query.getlist(key)
    value = str(value)
    query.setlist(key, [v for v in values if v != value] if value in values else [*values, value])
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
