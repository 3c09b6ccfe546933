"""Template helpers shared by all apps."""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def _lists(context) -> dict[str, list[str]]:
    """The request's query as {name: values}, in order. A plain copy: a list page makes
    a link for each of some hundred facet values, and QueryDict.copy() deep-copies."""
    return {key: list(values) for key, values in context["request"].GET.lists()}


def _encoded(lists: dict[str, list[str]]) -> str:
    # As QueryDict.urlencode: repeated names, quote_plus.
    encoded = urlencode([(key, value) for key, values in lists.items() for value in values])
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one).

    Keeps every other filter, so pagination and sorting links stay on the same result set.
    """
    lists = _lists(context)
    for key, value in changes.items():
        lists.pop(key, None)
        if value not in (None, ""):
            lists[key] = [str(value)]
    return _encoded(lists)


@register.simple_tag(takes_context=True)
def query_toggle(context, key, value):
    """The current query string with one value of a multi-valued filter toggled; page reset."""
    lists = _lists(context)
    values = lists.get(key, [])
    value = str(value)
    lists[key] = [v for v in values if v != value] if value in values else [*values, value]
    lists.pop("page", None)
    return _encoded(lists)


@register.simple_tag
def lang_of(language: str) -> str:
    """` lang="en"` for an element whose text is in `language` on a page in another
    language; nothing on a page in that language (WCAG 3.1.2: a screen reader switches
    its voice for the part, and only where it has to)."""
    page = (get_language() or "de").split("-")[0]
    if not language or language.split("-")[0] == page:
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def country_name(code) -> str:
    """`{{ code|country_name }}`: a country's name in the page's language (lib/countries.py)."""
    from clusterportal.lib.countries import country_name as name

    return name(str(code)) if code else ""
