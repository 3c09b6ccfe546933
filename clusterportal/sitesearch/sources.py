"""What the site search finds besides the registry's initiatives: one `Source` per group
of records with the data version it follows and the documents it makes.

A kind that a later app adds (calls, partner-search postings) joins by adding a
`Source` here and its kind to `results.KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from clusterportal.atlas.models import AtlasRegion, Cluster, Edition
from clusterportal.calls.models import Call, Programme
from clusterportal.content.models import Article, Publication
from clusterportal.events.models import Event
from clusterportal.lib import versioning
from clusterportal.partnersearch.models import Posting
from clusterportal.registry.models import ClusterInitiative
from clusterportal.sitesearch.index import Document
from clusterportal.taxonomy.models import TechnologyField


@dataclass(frozen=True)
class Source:
    name: str
    version_name: str  # the data version that moves whenever a document changes
    documents: Callable[[], list[Document]]
    # Today's date is part of the key: an article dated ahead appears on its day.
    dated: bool = False

    def key(self, current: versioning.Version) -> tuple:
        return (current.number, current.token, timezone.localdate() if self.dated else None)


def _field_names(fields) -> list[str]:
    return [name for f in fields for name in (f.name, f.name_en) if name]


def _region_names(*regions) -> list[str]:
    return [r.name for r in regions if r is not None]


# --- articles and publications -------------------------------------------------------

ARTICLE_KINDS = {
    Article.Kind.NEWS: "news",
    Article.Kind.THEMA: "thema",
    Article.Kind.PAGE: "page",
}


def article_documents() -> list[Document]:
    articles = Article.objects.published().prefetch_related(
        Prefetch("technology_fields", queryset=TechnologyField.objects.all()),
        Prefetch("regions"),
        Prefetch("initiatives", queryset=ClusterInitiative.objects.only("name", "short_name")),
    )
    return [
        Document(
            kind=ARTICLE_KINDS[article.kind],
            title=article.title,
            title_en=article.title_en,
            url=article.get_absolute_url,
            summary=article.teaser,
            summary_en=article.teaser_en,
            date=article.published_on,
            fields=_field_names(article.technology_fields.all()),
            places=_region_names(*article.regions.all()),
            texts=[
                article.teaser,
                article.teaser_en,
                article.body,
                article.body_en,
                *(f"{i.name} {i.short_name}" for i in article.initiatives.all()),
            ],
        )
        for article in articles
    ]


def publication_documents() -> list[Document]:
    return [
        Document(
            kind="publication",
            title=publication.title,
            title_en=publication.title_en,
            url=publication.get_absolute_url,
            summary=publication.abstract,
            summary_en=publication.abstract_en,
            date=publication.year,
            texts=[
                publication.authors,
                publication.publisher,
                publication.abstract,
                publication.abstract_en,
            ],
        )
        for publication in Publication.objects.all()
    ]


# --- events --------------------------------------------------------------------------


def event_documents() -> list[Document]:
    events = (
        Event.objects.published()
        .select_related("region", "kreis")
        .prefetch_related("technology_fields")
    )
    return [
        Document(
            kind="event",
            title=event.title,
            title_en=event.title_en,
            url=event.get_absolute_url,
            summary=event.venue,
            date=event.starts_at,
            fields=_field_names(event.technology_fields.all()),
            places=[event.venue, event.address, *_region_names(event.region, event.kreis)],
            texts=[event.organiser, event.description, event.description_en],
        )
        for event in events.order_by("starts_at", "pk")
    ]


# --- funding programmes and calls ----------------------------------------------------


def call_documents() -> list[Document]:
    """Programmes and their calls, the archive included (its status is on the page)."""
    programmes = list(Programme.objects.all())
    documents = [
        Document(
            kind="programme",
            title=programme.name,
            title_en=programme.name_en,
            url=programme.get_absolute_url,
            summary=programme.funder,
            texts=[
                programme.funder,
                programme.run_by,
                programme.purpose,
                programme.purpose_en,
                programme.target_group,
                programme.target_group_en,
                programme.funding_note,
                programme.funding_note_en,
            ],
        )
        for programme in programmes
    ]
    calls = Call.objects.select_related("programme").prefetch_related("technology_fields")
    for call in calls.order_by("pk"):
        documents.append(
            Document(
                kind="call",
                title=call.title,
                title_en=call.title_en,
                url=call.get_absolute_url,
                summary=call.programme.name,
                summary_en=call.programme.name_en,
                date=call.closes_at,
                fields=_field_names(call.technology_fields.all()),
                texts=[
                    call.description,
                    call.description_en,
                    call.programme.name,
                    call.programme.name_en,
                    call.programme.funder,
                ],
            )
        )
    return documents


# --- partner-search postings ---------------------------------------------------------


def posting_documents() -> list[Document]:
    """The public postings (published, not expired: the source is keyed by the day)."""
    postings = (
        Posting.objects.public().select_related("initiative").prefetch_related("technology_fields")
    )
    return [
        Document(
            kind="posting",
            title=posting.title,
            title_en="",
            url=posting.get_absolute_url,
            summary=posting.poster_name,
            date=posting.published_at,
            fields=_field_names(posting.technology_fields.all()),
            texts=[posting.description, posting.poster_name],
        )
        for posting in postings.order_by("pk")
    ]


# --- the atlas -----------------------------------------------------------------------


def atlas_documents() -> list[Document]:
    """The published editions, their regions and clusters (a published edition is frozen:
    its row's version covers its parts)."""
    editions = {edition.pk: edition for edition in Edition.objects.published()}
    documents = [
        Document(
            kind="atlas_edition",
            title=edition.title,
            title_en=edition.title_en,
            url=edition.get_absolute_url,
            summary=edition.summary,
            summary_en=edition.summary_en,
            texts=[edition.summary, edition.summary_en, edition.definition_title],
        )
        for edition in editions.values()
    ]
    regions = AtlasRegion.objects.filter(edition__in=editions).defer("boundary")
    for region in regions.order_by("edition__position", "type", "name"):
        edition = editions[region.edition_id]
        region.edition = edition  # for get_absolute_url, without a query per region
        documents.append(
            Document(
                kind="atlas_region",
                # "Tübingen" is a Landkreis and a NUTS-2 region (the Regierungsbezirk): the
                # European regions say which they are; German Kreise carry it in their name.
                title=f"{region.name} (NUTS 2)" if region.type == "nuts2" else region.name,
                url=region.get_absolute_url,
                summary=edition.title,
                summary_en=edition.title_en,
                places=[region.name],
                texts=[edition.title, edition.title_en],
            )
        )
    for cluster in Cluster.objects.filter(edition__in=editions).order_by(
        "edition__position", "position"
    ):
        edition = editions[cluster.edition_id]
        cluster.edition = edition
        documents.append(
            Document(
                kind="atlas_cluster",
                title=cluster.name_de or cluster.name,
                title_en=cluster.name,
                url=cluster.get_absolute_url,
                summary=edition.title,
                summary_en=edition.title_en,
                texts=[edition.title, edition.title_en],
            )
        )
    return documents


SOURCES = [
    Source("articles", "content", article_documents, dated=True),
    Source("publications", "publications", publication_documents),
    Source("events", "events", event_documents),
    Source("atlas", "atlas", atlas_documents),
    Source("calls", "calls", call_documents),
    Source("postings", "partnersearch", posting_documents, dated=True),
]
