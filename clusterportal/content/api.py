"""GET /api/v1/articles and /api/v1/articles/{slug}: published news and Thema des Monats."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from clusterportal.content.filters import ArticleFilter, ArticleFilterForm
from clusterportal.content.models import Article
from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    PageInfo,
    checked_filter,
    checked_query,
    list_response,
    query_parameters,
)

router = Router(tags=["articles"])

PARAMETERS = {
    "kind": "`news` or `thema_des_monats`; both when not given.",
    "year": "Publication year.",
    "month": "Publication month (1-12); needs `year`.",
    "initiative": "Tag: slug of an initiative (see /initiatives).",
    "field": "Tag: slug of a technology field (see /technology-fields).",
    "region": "Tag: slug of a Region (see /regions).",
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": "Results per page (default 20).",
}


class ArticleSummary(Schema):
    slug: str
    kind: str
    title: str
    teaser: str
    published_on: datetime.date | None
    is_archive: bool
    url: str
    initiatives: list[str]


class ArticleDetail(ArticleSummary):
    body_html: str
    author: str
    source_name: str
    source_url: str
    image_url: str | None
    image_alt: str
    technology_fields: list[str]
    regions: list[str]


class ArticleList(PageInfo):
    results: list[ArticleSummary]


def _summary(request: HttpRequest, article: Article) -> dict:
    return {
        "slug": article.slug,
        "kind": article.kind,
        "title": article.localized_title,
        "teaser": article.localized_teaser,
        "published_on": article.published_on,
        "is_archive": article.is_archive,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "initiatives": [i.slug for i in article.initiatives.all()],
    }


@router.get(
    "/articles",
    response={200: ArticleList, 304: None, 400: Error, 404: Error},
    url_name="article_list",
    summary="List articles",
    openapi_extra={"parameters": query_parameters(ArticleFilterForm, PARAMETERS)},
)
def article_list(request: HttpRequest):
    """Published news and Thema des Monats, newest first."""
    filters = checked_filter(request, ArticleFilter)
    return list_response(request, filters, lambda rows: [_summary(request, a) for a in rows])


@router.get(
    "/articles/{slug}",
    response={200: ArticleDetail, 304: None, 400: Error, 404: Error},
    url_name="article_detail",
    summary="One article",
)
def article_detail(request: HttpRequest, slug: str, response: HttpResponse):
    """A published article with its Markdown body rendered as sanitised HTML."""
    checked_query(request, NoParameters)
    article = (
        Article.objects.published()
        .exclude(kind=Article.Kind.PAGE)
        .select_related("author")
        .prefetch_related("initiatives", "technology_fields", "regions")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise ApiError(404, f"There is no published article with the slug {slug!r}.")
    return {
        **_summary(request, article),
        "body_html": str(article.body_html),
        "author": article.shown_author,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "image_url": request.build_absolute_uri(article.image.url) if article.image else None,
        "image_alt": article.localized_image_alt,
        "technology_fields": [f.slug for f in article.technology_fields.all()],
        "regions": [r.slug for r in article.regions.all()],
    }
