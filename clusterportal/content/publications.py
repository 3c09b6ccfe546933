"""The publication list: stored publications and, read at request time, the published atlas
editions (never copied: an edition's title and year are the atlas app's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from clusterportal.atlas.models import Edition
from clusterportal.content.models import Publication
from clusterportal.lib.language import localized
from clusterportal.lib.text import collation_key

ATLAS_PUBLISHER = "Clusterportal Baden-Württemberg"


@dataclass
class Entry:
    key: str
    title: str
    title_language: str  # pages in another language mark the title (WCAG 3.1.2)
    authors: str
    publisher: str
    year: int
    language: str
    type: str
    url: str  # the page on the portal
    link: str  # the file or external link
    licence: str
    abstract: str

    @property
    def type_label(self) -> str:
        return str(Publication.Type(self.type).label)


def from_publication(pub: Publication) -> Entry:
    return Entry(
        key=pub.slug,
        title=pub.localized_title,
        title_language=pub.title_language,
        authors=pub.authors,
        publisher=pub.publisher,
        year=pub.year,
        language=pub.language,
        type=pub.type,
        url=pub.get_absolute_url(),
        link=pub.file.url if pub.file else pub.url,
        licence=pub.licence,
        abstract=pub.localized_abstract,
    )


def from_edition(edition: Edition) -> Entry:
    year = edition.published_at.year if edition.published_at else max(edition.years or [0])
    licences = "; ".join(str(s.get("licence", "")) for s in edition.sources if isinstance(s, dict))
    url = reverse("atlas:edition", kwargs={"edition": edition.slug})
    return Entry(
        key=edition.slug,
        title=localized(edition.title, edition.title_en),
        title_language="en" if localized("", edition.title_en) else "de",
        authors="",
        publisher=ATLAS_PUBLISHER,
        year=year,
        language="de",
        type=Publication.Type.ATLAS_EDITION,
        url=url,
        link=url,
        licence=licences.strip("; "),
        abstract=localized(edition.summary, edition.summary_en),
    )


def entries(type: str = "", year: int | None = None) -> list[Entry]:
    """All publications, newest first; two queries whatever their number."""
    rows: list[Entry] = []
    if type in ("", Publication.Type.ATLAS_EDITION):
        rows += [from_edition(e) for e in Edition.objects.published().order_by("position", "pk")]
    if type != Publication.Type.ATLAS_EDITION:
        queryset = Publication.objects.all()
        if type:
            queryset = queryset.filter(type=type)
        rows += [from_publication(p) for p in queryset]
    if year:
        rows = [r for r in rows if r.year == year]
    return sorted(rows, key=lambda r: (-r.year, collation_key(r.title)))


def entry(slug: str) -> Entry | None:
    pub = Publication.objects.filter(slug=slug).first()
    if pub:
        return from_publication(pub)
    edition = Edition.objects.published().filter(slug=slug).first()
    return from_edition(edition) if edition else None
