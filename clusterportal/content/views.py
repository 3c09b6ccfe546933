"""Thin views: resolve, check the permission, validate, call one method, render."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterportal.content import citations, notifications, publications
from clusterportal.content.atlas_figures import figures_for
from clusterportal.content.filters import ArticleFilter, PublicationFilterForm
from clusterportal.content.forms import ArticleForm, SendBackForm
from clusterportal.content.models import Article, content_version
from clusterportal.lib import caching
from clusterportal.lib.pagination import PageOutOfRange
from clusterportal.lib.text import collation_key

LIST_TEMPLATE = "content/article_list.html"


def _article_list(request, kind: str):
    """A news or Thema list, kept rendered per content version (lib/caching.py): every
    filter and page is a URL of its own in the key."""
    respond = partial(_render_list, request, kind)
    return caching.cached_response(request, "article-list", content_version(), respond)


def _render_list(request, kind: str):
    filters = ArticleFilter(request.GET, kind=kind)
    context = {"filters": filters, "kind": kind, "years": filters.archive_years()}
    if not filters.is_valid():
        return render(request, LIST_TEMPLATE, {**context, "errors": filters.errors}, status=400)
    try:
        page = filters.page()
    except PageOutOfRange as error:
        errors = {"page": [error.localized_message]}
        return render(request, LIST_TEMPLATE, {**context, "errors": errors}, status=404)
    return render(request, LIST_TEMPLATE, {**context, "page": page})


def news_list(request):
    return _article_list(request, Article.Kind.NEWS)


def thema_list(request):
    return _article_list(request, Article.Kind.THEMA)


def _visible_article(request, slug: str, kind: str) -> Article:
    article = get_object_or_404(
        Article.objects.select_related("author", "initiative"), slug=slug, kind=kind
    )
    if (
        not article.is_public
        and not request.user.has_perm("content.edit_article", article)
        and not (request.user.is_authenticated and article.author_id == request.user.pk)
    ):
        raise Http404
    return article


def _detail(request, slug: str, kind: str):
    """An article page, kept rendered per content version for visitors not signed in (an
    article they may not see answers 404, which is not kept)."""
    respond = partial(_render_detail, request, slug, kind)
    return caching.cached_response(request, "article", content_version(), respond)


def _render_detail(request, slug: str, kind: str):
    article = _visible_article(request, slug, kind)
    edition, figures = figures_for(article)
    context = {
        "article": article,
        "initiatives": sorted(article.initiatives.all(), key=lambda i: collation_key(i.name)),
        "fields": article.technology_fields.order_by("name"),
        "regions": article.regions.order_by("name"),
        "edition": edition,
        "figures": figures,
        "can_review": article.status == Article.Status.IN_REVIEW
        and request.user.has_perm("content.review_article", article),
        "can_edit": request.user.has_perm("content.edit_article", article),
        "send_back_form": SendBackForm(),
    }
    return render(request, "content/article_detail.html", context)


def news_detail(request, slug):
    return _detail(request, slug, Article.Kind.NEWS)


def thema_detail(request, slug):
    return _detail(request, slug, Article.Kind.THEMA)


def page(request, slug):
    article = _visible_article(request, slug, Article.Kind.PAGE)
    return render(request, "content/page.html", {"article": article})


# Writing and review.


@login_required
def my_articles(request):
    if not request.user.has_perm("content.write_news"):
        raise PermissionDenied
    mine = Article.objects.filter(author=request.user).order_by("-modified")
    waiting = (
        Article.objects.filter(status=Article.Status.IN_REVIEW).order_by("modified")
        if request.user.has_perm("content.review_article")
        else Article.objects.none()
    )
    return render(request, "content/my_articles.html", {"mine": mine, "waiting": waiting})


def _edit(request, article: Article | None):
    form = ArticleForm(
        request.POST or None, request.FILES or None, instance=article, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if article is None:
            saved.kind = Article.Kind.NEWS
            saved.author = request.user
            saved.status = Article.Status.DRAFT
        saved.save()
        form.save_m2m()
        if "submit" in request.POST and saved.status == Article.Status.DRAFT:
            saved.submit()
            notifications.submitted(saved, request.build_absolute_uri(saved.get_absolute_url()))
        elif "publish" in request.POST and request.user.has_perm("content.publish_article", saved):
            saved.publish()
        return redirect(saved.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "content/article_form.html", {"form": form, "article": article}, status=status
    )


@login_required
def article_new(request):
    if not request.user.has_perm("content.write_news"):
        raise PermissionDenied
    return _edit(request, None)


@login_required
def article_edit(request, slug):
    article = get_object_or_404(Article, slug=slug, kind=Article.Kind.NEWS)
    if not request.user.has_perm("content.edit_article", article):
        raise PermissionDenied
    return _edit(request, article)


@login_required
@require_POST
def article_publish(request, slug):
    article = get_object_or_404(Article, slug=slug)
    if not request.user.has_perm("content.publish_article", article):
        raise PermissionDenied
    try:
        article.publish()
    except ValidationError:
        pass  # published meanwhile by someone else: nothing left to do
    return redirect(article.get_absolute_url())


@login_required
@require_POST
def article_send_back(request, slug):
    article = get_object_or_404(Article, slug=slug)
    if not request.user.has_perm("content.review_article", article):
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            article.send_back(form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return render(
            request, "content/send_back.html", {"form": form, "article": article}, status=400
        )
    notifications.sent_back(article, request.build_absolute_uri(article.get_absolute_url()))
    return redirect(article.get_absolute_url())


# Publications.


def publication_list(request):
    form = PublicationFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": form.errors}
        return render(request, "content/publication_list.html", context, status=400)
    rows = publications.entries(form.cleaned_data.get("type") or "", form.cleaned_data.get("year"))
    return render(request, "content/publication_list.html", {"form": form, "rows": rows})


def _entry(slug):
    entry = publications.entry(slug)
    if entry is None:
        raise Http404
    return entry


def publication_detail(request, slug):
    entry = _entry(slug)
    if entry.type == "atlas_edition":
        return redirect(entry.url)
    return render(request, "content/publication_detail.html", {"entry": entry})


def publication_bibtex(request, slug):
    text = citations.bibtex(_entry(slug), request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(text, content_type="application/x-bibtex; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.bib"'
    return response


def publication_ris(request, slug):
    text = citations.ris(_entry(slug), request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(text, content_type="application/x-research-info-systems; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.ris"'
    return response
