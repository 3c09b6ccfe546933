from django import template

from clusterportal.registry import exporting

register = template.Library()


@register.simple_tag
def export_limit() -> int:
    """The most rows one export holds (the links are replaced by a hint above it)."""
    return exporting.MAX_ROWS


@register.simple_tag
def export_formats() -> list[str]:
    return list(exporting.FORMATS)
