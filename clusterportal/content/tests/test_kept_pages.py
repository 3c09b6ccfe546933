"""The news list and an article page are kept rendered per content version: served again
while nothing they show changes, and fresh after a publication, an edit, a renamed tag or
when the day of an article dated ahead comes (the clock, not the data)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterportal.content.models import Article
from clusterportal.content.tests.helpers import article, textiles

pytestmark = pytest.mark.django_db

NEWS = reverse("content:news_list")


def page_of(slug: str) -> str:
    return reverse("content:news_detail", args=[slug])


def test_the_news_list_is_served_again_with_only_its_data_version_read(
    client, django_assert_num_queries
):
    article("eins", title="Erste Nachricht")
    first = client.get(NEWS).content
    with django_assert_num_queries(1):  # the data version "content"
        assert client.get(NEWS).content == first


def test_a_published_article_reaches_the_kept_list_at_once(client):
    draft = article("neu", status=Article.Status.DRAFT, title="Frisch veröffentlicht")
    assert "Frisch veröffentlicht" not in client.get(NEWS).content.decode()
    draft.publish()
    assert "Frisch veröffentlicht" in client.get(NEWS).content.decode()


def test_an_edited_article_shows_its_new_title_on_its_kept_page(client, django_assert_num_queries):
    shown = article("bericht", title="Alter Titel")
    assert "Alter Titel" in client.get(page_of("bericht")).content.decode()
    with django_assert_num_queries(1):
        assert "Alter Titel" in client.get(page_of("bericht")).content.decode()
    shown.title = "Neuer Titel"
    shown.save()
    page = client.get(page_of("bericht")).content.decode()
    assert "Neuer Titel" in page and "Alter Titel" not in page


def test_a_renamed_initiative_is_renamed_on_the_kept_article_page(client):
    article("mit-tag").initiatives.add(textiles())
    assert textiles().name in client.get(page_of("mit-tag")).content.decode()
    initiative = textiles()
    initiative.name = "Umbenanntes Textilnetzwerk"
    initiative.save()
    assert "Umbenanntes Textilnetzwerk" in client.get(page_of("mit-tag")).content.decode()


def test_an_article_dated_ahead_appears_on_its_day_though_no_data_changed(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    article("morgen", title="Nachricht von morgen", published_on=tomorrow)
    assert "Nachricht von morgen" not in client.get(NEWS).content.decode()
    assert client.get(page_of("morgen")).status_code == 404
    next_day = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=next_day):
        assert "Nachricht von morgen" in client.get(NEWS).content.decode()
        assert client.get(page_of("morgen")).status_code == 200


def test_a_withdrawn_article_leaves_its_kept_page(client):
    shown = article("zurueck")
    assert client.get(page_of("zurueck")).status_code == 200
    Article.objects.filter(pk=shown.pk).update(status=Article.Status.DRAFT)
    assert client.get(page_of("zurueck")).status_code == 404


def test_each_filter_and_page_is_kept_apart(client):
    for number in range(3):
        article(f"alt-{number}", title=f"Nachricht aus 2019 Nr. {number}",
                published_on=datetime.date(2019, 3, 1))  # fmt: skip
    article("neu-2024", title="Nachricht aus 2024")
    assert "Nachricht aus 2024" in client.get(NEWS).content.decode()
    archive = client.get(NEWS + "?year=2019").content.decode()
    assert "Nachricht aus 2019 Nr. 0" in archive and "Nachricht aus 2024" not in archive
    second = client.get(NEWS + "?year=2019&page_size=2&page=2").content.decode()
    assert "Nachricht aus 2019 Nr. 0" in second and "Nr. 2" not in second


def test_the_archive_names_the_years_with_articles_only(client):
    article("a", published_on=datetime.date(2001, 1, 2))
    article("b", published_on=datetime.date(2004, 12, 31))
    article("c", published_on=None, is_archive=True)
    html = client.get(NEWS).content.decode()
    assert 'href="?year=2004"' in html and 'href="?year=2001"' in html
    assert 'href="?year=2002"' not in html and 'href="?year=2003"' not in html
    assert html.index('href="?year=2004"') < html.index('href="?year=2001"')
