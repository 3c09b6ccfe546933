"""The shipped content (data/content/articles.json) and its loader."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from clusterportal.content.loading import load_articles
from clusterportal.content.models import Article

pytestmark = pytest.mark.django_db


def test_the_shipped_articles_are_loaded_published_and_sourced():
    shipped = Article.objects.order_by("slug")
    assert {a.slug for a in shipped} == {
        "cluster-brunch-2016",
        "cluster-forum-innovation-a-la-asien",
        "clusteragentur",
        "clusterpolitik",
        "clusterpolitische-entscheidungstraeger-im-gespraech-2017",
        "internationalisierung-von-cluster-initiativen",
    }
    for a in shipped:
        assert a.status == "published" and a.source_name and a.title_en and a.body_en
        assert a.source_url == "https://wm.baden-wuerttemberg.de/"
        assert a.is_archive == (a.kind != "page")
    assert str(Article.objects.get(slug="cluster-brunch-2016").published_on) == "2016-11-07"
    # The press release on the Cluster-Forum gives no date: the article has none.
    assert Article.objects.get(slug="cluster-forum-innovation-a-la-asien").published_on is None


def test_every_shipped_tag_names_a_registry_entry():
    report = load_articles(settings.DATA_DIR, update=True)
    assert report.unmatched == []
    meeting = Article.objects.get(slug="clusterpolitische-entscheidungstraeger-im-gespraech-2017")
    names = sorted(i.name for i in meeting.initiatives.all())
    assert len(names) == 3 and any("CyberForum" in n for n in names)
    assert {f.slug for f in meeting.technology_fields.all()} == {
        "aerospace",
        "automotive",
        "information-technology",
    }
    assert meeting.regions.count() == 4


def test_loading_again_changes_nothing_and_keeps_editors_changes():
    again = load_articles(settings.DATA_DIR)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    Article.objects.filter(slug="clusterpolitik").update(title="Von der Redaktion geändert")
    assert load_articles(settings.DATA_DIR).unchanged == 6
    # A new shipped text (here: an older fingerprint) does not overwrite the edited row.
    Article.objects.filter(slug="clusterpolitik").update(loaded_fingerprint="older")
    kept = load_articles(settings.DATA_DIR)
    assert kept.kept == 1
    assert Article.objects.get(slug="clusterpolitik").title == "Von der Redaktion geändert"


def test_the_fixed_pages_have_german_addresses(client):
    response = client.get("/clusterpolitik/")
    assert response.status_code == 200
    assert "Clusterpolitik in Baden-Württemberg" in response.content.decode()
    assert "cluster@wm.bwl.de" in response.content.decode()
    english = client.get("/en/clusteragentur/")
    assert english.status_code == 200
    assert "founded in 2014" in english.content.decode()


def test_the_article_page_shows_atlas_figures_for_the_tagged_regions(client):
    url = reverse(
        "content:news_detail", args=["clusterpolitische-entscheidungstraeger-im-gespraech-2017"]
    )
    body = client.get(url).content.decode()
    assert "Technologiefelder im Clusteratlas" in body
    assert "/atlas/bw-kreise-2015-2020/region/kreis/08435/" in body
    assert "/atlas/bw-kreise-2015-2020/cluster/" in body


def test_an_article_without_a_region_says_there_are_no_figures(client):
    url = reverse("content:news_detail", args=["cluster-brunch-2016"])
    body = client.get(url).content.decode()
    assert "dieser Beitrag ist keiner Region zugeordnet" in body
    assert 'im <a href="/atlas/">Clusteratlas</a>' in body
    assert "/cluster/" in body  # the tagged initiatives link to their profiles


def test_home_page_helpers_return_the_newest_published():
    latest = list(Article.objects.latest_news(3))
    assert [a.slug for a in latest][:1] == [
        "clusterpolitische-entscheidungstraeger-im-gespraech-2017"
    ]
    assert all(a.kind == "news" for a in latest)
    assert Article.objects.current_thema().slug == "internationalisierung-von-cluster-initiativen"
