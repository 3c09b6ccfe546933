"""Numbers, dates and labels of the atlas pages in the page's language."""

from django import template
from django.utils.formats import number_format

from clusterportal.atlas.filters import CompareForm, ResultFilterForm
from clusterportal.lib import language

register = template.Library()
DASH = "–"


def _rounded(value: float, digits: int) -> str:
    """Rounded, as the charts round: Django's number_format cuts the digits off (an LQ
    of 0.6374 became 0,63, and a table said 1,63 where its chart said 1,64)."""
    # + 0.0: a value rounded to zero from below is 0, not -0.
    return number_format(round(value, digits) + 0.0, digits, force_grouping=True)


@register.filter
def employees(value):
    """Whole employees with digit grouping (imputed CBP cells can be fractional)."""
    if value is None:
        return DASH
    return number_format(round(value), 0, force_grouping=True)


@register.filter
def quotient(value, digits=2):
    if value is None:
        return DASH
    return _rounded(value, int(digits))


@register.filter
def percent(value, digits=1):
    """0.1234 -> 12,3 %."""
    if value is None:
        return DASH
    return f"{_rounded(value * 100, int(digits))} %"


@register.filter
def signed_percent(value, digits=1):
    # "" is what a template gives for a missing row (a region without growth: in Europe,
    # NUTS codes that exist in only one of the two years).
    if value is None or value == "":
        return DASH
    sign = "+" if round(value * 100, int(digits)) > 0 else ""
    return f"{sign}{_rounded(value * 100, int(digits))} %"


@register.filter
def signed_employees(value):
    if value is None:
        return DASH
    sign = "+" if value > 0 else ""
    return f"{sign}{number_format(round(value), 0, force_grouping=True)}"


@register.filter
def star_text(count):
    if count is None:
        return DASH
    return "★" * count + "☆" * (3 - count)


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.filter
def long_date(value):
    """5. Juni 2024 / 5 June 2024."""
    return language.long_date(value)


@register.filter
def field_label(name):
    """The label of the form field an error message belongs to ("Jahr" for `year`)."""
    for form in (ResultFilterForm, CompareForm):
        if name in form.base_fields:
            return form.base_fields[name].label
    return name
