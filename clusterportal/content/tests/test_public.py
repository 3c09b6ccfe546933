"""What the public sees: published articles only, everywhere (pages, lists, feeds, API)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clusterportal.content import images
from clusterportal.content.forms import ArticleForm
from clusterportal.content.tests.helpers import article, textiles

pytestmark = pytest.mark.django_db

SHOUT = "Ein Entwurf, den niemand sehen darf"


def test_drafts_and_articles_in_review_are_invisible_to_the_public(client):
    article("entwurf", status="draft", title=SHOUT)
    article("pruefung", status="in_review", title=SHOUT)
    assert client.get(reverse("content:news_detail", args=["entwurf"])).status_code == 404
    assert client.get(reverse("content:news_detail", args=["pruefung"])).status_code == 404
    for url in (
        reverse("content:news_list"),
        reverse("content:news_rss"),
        reverse("content:news_atom"),
        "/api/v1/articles",
        "/api/v1/articles?kind=news",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SHOUT not in response.content.decode(), url
    assert client.get("/api/v1/articles/entwurf").status_code == 404


def test_a_published_article_appears_in_list_feeds_and_api(client):
    article("oeffentlich", title="Sichtbare Nachricht")
    assert "Sichtbare Nachricht" in client.get(reverse("content:news_list")).content.decode()
    assert "Sichtbare Nachricht" in client.get(reverse("content:news_rss")).content.decode()
    assert "Sichtbare Nachricht" in client.get(reverse("content:news_atom")).content.decode()
    data = client.get("/api/v1/articles/oeffentlich").json()
    assert (data["title"], data["kind"], data["published_on"]) == (
        "Sichtbare Nachricht",
        "news",
        "2024-05-06",
    )


def test_the_tag_feed_lists_only_that_initiatives_published_articles(client):
    tagged = article("getaggt", title="Textil-Nachricht")
    tagged.initiatives.add(textiles())
    article("andere", title="Andere Nachricht")
    body = client.get(
        reverse("content:tag_rss", args=["initiative", textiles().slug])
    ).content.decode()
    assert "Textil-Nachricht" in body and "Andere Nachricht" not in body


def test_markdown_with_script_iframe_and_javascript_links_renders_inert(client):
    article(
        "boese",
        body='<script>alert(1)</script>\n\n<iframe src="https://x.example"></iframe>\n\n'
        "[klick](javascript:alert(2)) und **fett**",
    )
    body = client.get(reverse("content:news_detail", args=["boese"])).content.decode()
    main = body[body.index("<article>") : body.index("</article>")]
    assert "<script>" not in main and "<iframe" not in main
    # The parser refuses the link: the text stays as text, never an href.
    assert 'href="javascript' not in main and ">klick</a>" not in main
    assert "<strong>fett</strong>" in main
    api = client.get("/api/v1/articles/boese").json()["body_html"]
    assert "<script>" not in api and 'href="javascript' not in api


def _png(width, height) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _form(people, upload, alt="Ein rotes Quadrat"):
    data = {
        "initiative": textiles().pk,
        "title": "Mit Bild",
        "slug": "mit-bild",
        "body": "Text",
        "published_on": "2024-05-06",
        "image_alt": alt,
    }
    return ArticleForm(data, {"image": upload}, user=people.mia)


def test_a_non_image_upload_is_refused_with_the_field_named(people):
    form = _form(people, SimpleUploadedFile("x.png", b"%PDF-1.4 not an image", "image/png"))
    assert not form.is_valid()
    assert "image" in form.errors


def test_an_oversized_image_is_refused_with_the_field_named(people, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 100)
    form = _form(people, SimpleUploadedFile("x.png", _png(50, 50), "image/png"))
    assert not form.is_valid()
    assert "image" in form.errors
    assert "5 MB" in str(form.errors["image"])


def test_an_image_needs_alt_text(people):
    form = _form(people, SimpleUploadedFile("x.png", _png(20, 20), "image/png"), alt="")
    assert not form.is_valid()
    assert "image_alt" in form.errors


def test_a_wide_image_is_scaled_down_to_the_maximum_width(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = _form(people, SimpleUploadedFile("x.png", _png(3200, 800), "image/png"))
    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    saved.author = people.mia
    saved.save()
    with Image.open(saved.image.path) as stored:
        assert stored.size == (1600, 400)


def test_the_news_list_costs_the_same_queries_whatever_the_page_size(
    client, django_assert_num_queries
):
    for number in range(30):
        article(f"n{number}").initiatives.add(textiles())
    # the data version (the key of the kept page), count, rows, their initiatives, the
    # archive years (first and last date, then one count per year)
    with django_assert_num_queries(6):
        assert client.get(reverse("content:news_list") + "?page_size=5").status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("content:news_list") + "?page_size=25").status_code == 200


def test_the_api_list_costs_the_same_queries_whatever_the_page_size(
    client, django_assert_num_queries
):
    for number in range(30):
        article(f"a{number}").initiatives.add(textiles())
    with django_assert_num_queries(3):
        data = client.get("/api/v1/articles?page_size=5").json()
    assert data["page_size"] == 5 and len(data["results"]) == 5
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/articles?page_size=25").json()["results"]) == 25


def test_bad_list_parameters_are_named(client):
    response = client.get(reverse("content:news_list") + "?month=5")
    assert response.status_code == 400
    assert "month" in response.context["errors"]
    api = client.get("/api/v1/articles?year=abc")
    assert api.status_code == 400
    assert "year" in api.content.decode()


def test_the_archive_filters_by_year_and_month(client):
    article("mai", title="Im Mai")
    article("juni", title="Im Juni", published_on="2024-06-01")
    body = client.get(reverse("content:news_list") + "?year=2024&month=5").content.decode()
    assert "Im Mai" in body and "Im Juni" not in body
