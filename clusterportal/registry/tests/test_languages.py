"""Language on the registry's pages: names sorted as a German dictionary sorts them, and
notes in English marked as English on German pages (WCAG 3.1.2)."""

import re

import pytest

from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.mapping import InitiativeMap
from clusterportal.registry.models import ClusterInitiative, InternationalPartnership, Membership
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/cluster/"


def facet_labels(html: str, summary: str) -> list[str]:
    """The value labels of the facet with this summary, in the page's order."""
    section = re.search(rf"<summary>{summary}</summary>(.*?)</details>", html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<li>\s*<(?:a|span)[^>]*>(.*?)</(?:a|span)>", section, re.S)
    ]


def in_order(labels: list[str], *expected: str) -> bool:
    return [label for label in labels if label in expected] == list(expected)


class TestKreisFacet:
    def test_it_lists_boeblingen_before_breisgau_and_tuebingen_before_tuttlingen(self, client):
        labels = facet_labels(client.get(LIST_URL).content.decode(), "Stadt- und Landkreis")
        assert len(labels) == 44
        assert in_order(
            labels,
            "Böblingen (Landkreis)",
            "Breisgau-Hochschwarzwald (Landkreis)",
            "Tübingen (Landkreis)",
            "Tuttlingen (Landkreis)",
            "Ulm (Stadtkreis)",
            "Zollernalbkreis (Landkreis)",
        )

    def test_the_english_page_sorts_the_kreise_the_same_way(self, client):
        html = client.get(f"/en{LIST_URL}").content.decode()
        labels = facet_labels(html, "District")
        assert in_order(
            labels,
            "Böblingen (rural district)",
            "Breisgau-Hochschwarzwald (rural district)",
            "Tübingen (rural district)",
            "Tuttlingen (rural district)",
        )


def test_the_list_sorted_by_name_puts_an_umlaut_with_its_base_letter():
    # Ö as O, not as Oe (the phone book's order would put "Öl" before "Offen").
    for name in ("Zentrum Test", "Öl-Netz Test", "Oz-Netz Test", "Offen-Netz Test"):
        factories.initiative(name)
    names = []
    for page in ("1", "2"):
        filters = InitiativeFilter({"sort": "name", "page_size": "100", "page": page})
        assert filters.is_valid(), filters.errors
        names += [i.name for i in filters.page().items]
    assert len(names) == 106
    assert in_order(names, "Offen-Netz Test", "Öl-Netz Test", "Oz-Netz Test", "Zentrum Test")


def test_the_map_lists_its_initiatives_by_name_as_a_dictionary_sorts():
    for name in ("Zentrum Test", "Öko-Netz Test", "Obst-Netz Test"):
        factories.initiative(name)
    names = [i.name for i in InitiativeMap.of(ClusterInitiative.objects.published()).initiatives]
    assert in_order(names, "Obst-Netz Test", "Öko-Netz Test", "Zentrum Test")


class TestProfile:
    @pytest.fixture
    def record(self):
        record = factories.initiative("Netzwerk Sprache", members_note=">80 partners (2014)")
        factories.label(record, awarded_year=2017, note="re-certified 23.2.2017")
        for name in ("Zeiss Test", "Öko-Institut Test", "Bosch Test"):
            Membership.objects.create(initiative=record, organisation=factories.organisation(name))
        record.refresh_member_counts()
        return record

    def test_english_notes_are_marked_as_english_on_the_german_page(self, client, record):
        html = client.get(f"/cluster/{record.slug}/").content.decode()
        assert '<q lang="en">&gt;80 partners (2014)</q>' in html
        assert '<span class="muted" lang="en">re-certified 23.2.2017</span>' in html

    def test_the_english_page_needs_no_mark(self, client, record):
        html = client.get(f"/en/cluster/{record.slug}/").content.decode()
        assert "<q>&gt;80 partners (2014)</q>" in html
        assert '<span class="muted">re-certified 23.2.2017</span>' in html
        assert "<q lang=" not in html

    def test_members_are_listed_as_a_dictionary_sorts(self, client, record):
        html = client.get(f"/cluster/{record.slug}/").content.decode()
        positions = [html.index(name) for name in ("Bosch", "Öko-Institut", "Zeiss")]
        assert positions == sorted(positions)


class TestPartnershipNotes:
    """Partnership notes are German (managements edit them in the German profile editor)."""

    @pytest.fixture
    def initiative(self):
        return InternationalPartnership.objects.get(note="Kooperation GITAS").initiative

    def test_the_english_page_marks_the_german_note(self, client, initiative):
        html = client.get(f"/en/cluster/{initiative.slug}/").content.decode()
        assert '<span class="muted" lang="de">(Kooperation GITAS)</span>' in html

    def test_the_german_page_needs_no_mark(self, client, initiative):
        html = client.get(f"/cluster/{initiative.slug}/").content.decode()
        assert '<span class="muted">(Kooperation GITAS)</span>' in html

    def test_no_shipped_note_is_left_in_english(self):
        notes = set(InternationalPartnership.objects.values_list("note", flat=True))
        assert {"Zielregionen des Projekts DELIVER, 2017", "Projekt MInD"} <= notes
        assert not [n for n in notes if "project" in n or "cooperation" in n]
