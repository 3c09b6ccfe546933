"""Markdown for editors' texts (news, Thema des Monats, events, calls), rendered safely.

One renderer for every app: markdown-it-py (CommonMark, maintained) turns the text into HTML
with raw HTML switched off, and nh3 (the Ammonia sanitiser) then keeps only the tags and
attributes below. Both steps matter: the parser alone would still pass a `javascript:` link
or an image from anywhere; the sanitiser alone would keep what an editor pasted as HTML.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt

# CommonMark with tables and strikethrough; "html": False renders raw HTML as text.
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"}}
# No images from anywhere (the CSP would block them anyway, and they track readers); images
# belong in the record's own uploaded, alt-texted image field.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """The HTML of a Markdown text, sanitised: no scripts, no iframes, no `javascript:` links.

    Headings start at h2: the page's own title is its only h1. Links get
    rel="noopener noreferrer nofollow" (nh3's default link_rel).
    """
    html = _PARSER.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
    )
    return mark_safe(_scrolling_tables(clean))  # noqa: S308 - sanitised by nh3 just above


def _scrolling_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on its own, so that a wide table does not
    widen the page on a phone (WCAG 1.4.10); focusable, so that a keyboard can scroll it.
    Markdown tables never nest, and the sanitised HTML has no attributes on <table>."""
    label = gettext("Tabelle")  # outside the f-string, where xgettext finds it
    opening = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
    return html.replace("<table>", opening + "<table>").replace("</table>", "</table></div>")


def plain_text(text: str) -> str:
    """The text of a Markdown body without markup, for teasers, feeds and search."""
    return nh3.clean(_PARSER.render(text or ""), tags=set()).strip()
