"""The home page is kept rendered per data version "home": served again while nothing it
shows changes, fresh after a publication, a new or changed event or registry entry, and
when the clock moves past the next event's end or to the day of an article dated ahead."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils import timezone

from clusterportal.content.models import Article
from clusterportal.events.models import Event
from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def news(slug: str, title: str, **values) -> Article:
    values.setdefault("published_on", timezone.localdate())
    return Article.objects.create(slug=slug, title=title, body="Text", kind="news", **values)


def test_the_kept_page_is_served_again_with_two_queries(client, django_assert_num_queries):
    first = client.get("/").content
    with django_assert_num_queries(2):  # the data version "home" and the next event's end
        assert client.get("/").content == first


def test_a_published_news_item_reaches_the_kept_page(client):
    draft = news("heute", "Heute veröffentlicht", status="draft")
    assert "Heute veröffentlicht" not in text(client.get("/"))
    draft.publish()
    assert "Heute veröffentlicht" in text(client.get("/"))


def test_a_news_item_dated_ahead_appears_on_its_day(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    news("morgen", "Erst morgen", status="published", published_on=tomorrow)
    assert "Erst morgen" not in text(client.get("/"))
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=1)):  # fmt: skip
        assert "Erst morgen" in text(client.get("/"))


def test_an_event_that_ends_leaves_the_kept_page(client):
    end = timezone.now() + datetime.timedelta(hours=1)
    Event.objects.create(
        slug="gleich-vorbei", title="Gleich vorbei", organiser="Test", status="published",
        starts_at=end - datetime.timedelta(hours=2), ends_at=end,
    )  # fmt: skip
    assert "Gleich vorbei" in text(client.get("/"))
    later = end + datetime.timedelta(minutes=1)  # no data changed, only the clock
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Gleich vorbei" not in text(client.get("/"))


def test_a_renamed_event_is_renamed_on_the_kept_page(client):
    event = Event.objects.create(
        slug="forum", title="Werkstatt Ost", organiser="Test", status="published",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )  # fmt: skip
    assert "Werkstatt Ost" in text(client.get("/"))
    Event.objects.filter(pk=event.pk).update(title="Werkstatt West")
    page = text(client.get("/"))
    assert "Werkstatt West" in page and "Werkstatt Ost" not in page


def test_a_withdrawn_registry_entry_changes_the_kept_figures(client):
    assert "76 regionale Cluster-Initiativen" in text(client.get("/"))
    one = ClusterInitiative.objects.published().filter(kind="cluster_initiative").first()
    ClusterInitiative.objects.filter(pk=one.pk).update(status="draft")
    assert "75 regionale Cluster-Initiativen" in text(client.get("/"))


def with_message(client: Client, message: str) -> None:
    """The cookie Django's messages leave for the next page (as after signing out)."""
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, message)
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value


def test_a_message_for_one_visitor_is_shown_to_them_not_kept_for_others(client):
    client.get("/")  # kept
    with_message(client, "Sie haben sich abgemeldet.")
    assert "Sie haben sich abgemeldet." in text(client.get("/"))  # not the kept page
    caches["responses"].clear()
    visitor = Client()
    with_message(visitor, "Nur für diesen Besuch.")
    assert "Nur für diesen Besuch." in text(visitor.get("/"))
    assert "Nur für diesen Besuch." not in text(Client().get("/"))  # rendered, not kept
