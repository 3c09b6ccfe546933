"""The calendar's filter options sorted as a German dictionary sorts them: an umlaut with
its base letter, case ignored (the database's order put them after z)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)[1:]  # after "alle"


def in_order(labels: list[str], *expected: str) -> bool:
    """The expected labels appear in this order (a top field and a term may share a name)."""
    return [label for label in dict.fromkeys(labels) if label in expected] == list(expected)


def test_the_technology_fields_put_umlauts_with_their_base_letters(client):
    # The 34 top-level fields, as the registry's filter offers them (each with its subfields).
    fields = options(client.get("/veranstaltungen/").content.decode(), "f-field")
    assert len(fields) == 34
    assert in_order(fields, "Luft- und Raumfahrt", "Lüftungstechnik", "Medizintechnik")
    assert in_order(fields, "Energie", "Ernährungswirtschaft", "Fachkräfte und Bildung")


def test_the_english_page_sorts_its_own_names_without_regard_to_case(client):
    fields = options(client.get("/en/veranstaltungen/").content.decode(), "f-field")
    assert in_order(fields, "Information technology/enterprise software", "Lab glass", "Lightweight construction")  # fmt: skip


def test_the_regionen_are_sorted_by_name(client):
    regions = options(client.get("/veranstaltungen/").content.decode(), "f-region")
    assert len(regions) == 12
    assert regions[:2] == ["Bodensee-Oberschwaben", "Donau-Iller"]
    assert in_order(regions, "Schwarzwald-Baar-Heuberg", "Stuttgart", "Südlicher Oberrhein")
