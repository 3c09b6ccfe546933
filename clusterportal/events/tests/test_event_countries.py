"""The countries an event concerns (Event.countries): the shipped events name none, since
their sources name no country (events/loading.py); a bad code stops the load."""

import pytest

from clusterportal.events import loading
from clusterportal.events.models import Event

pytestmark = pytest.mark.django_db


def test_the_shipped_events_name_no_country():
    assert [e.countries for e in Event.objects.filter(slug__in=[
        "cluster-brunch-2016", "clusterwoche-2017", "clusterpolitische-entscheidungstraeger-2017",
    ])] == [[], [], []]  # fmt: skip


def test_a_bad_country_code_is_named_with_the_event_and_the_reason_and_nothing_is_loaded(
    monkeypatch,
):
    Event.objects.filter(slug="clusterwoche-2017").delete()
    monkeypatch.setitem(loading.BRUNCH, "countries", ["CN", "XX"])
    monkeypatch.setitem(loading.DIALOGUE, "countries", ["de"])
    report = loading.load_seed_events()
    assert report.rejected == [
        "cluster-brunch-2016: countries: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "clusterpolitische-entscheidungstraeger-2017: countries: 'de' is not an ISO 3166-1 "
        "alpha-2 country code",
    ]
    assert report.created == 0
    assert not Event.objects.filter(slug="clusterwoche-2017").exists()


def test_good_codes_are_loaded_with_a_new_event(monkeypatch):
    Event.objects.filter(slug="cluster-brunch-2016").delete()
    monkeypatch.setitem(loading.BRUNCH, "countries", ["CN", "JP"])
    report = loading.load_seed_events()
    assert (report.created, report.unchanged, report.rejected) == (1, 2, [])
    assert Event.objects.get(slug="cluster-brunch-2016").countries == ["CN", "JP"]
