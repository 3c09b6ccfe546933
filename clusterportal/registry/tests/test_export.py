"""Exports of search results (CSV, XLSX, JSON, GeoJSON) and the round trip of the import format."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import resolve, reverse
from openpyxl import load_workbook

from clusterportal.lib.tables import read_table
from clusterportal.registry import exporting
from clusterportal.registry.filters import InitiativeFilter
from clusterportal.registry.importing import import_initiatives
from clusterportal.registry.models import ClusterInitiative
from clusterportal.registry.tests import factories
from clusterportal.registry.tests.test_import_admin import database_state

pytestmark = pytest.mark.django_db


def export_url(fmt: str) -> str:
    return reverse("registry:export", args=[fmt])


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_csv_export_holds_every_result_not_only_one_page(client):
    response = client.get(export_url("csv"), {"page_size": 10, "page": 3})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert len(rows) == 102
    assert list(rows[0]) == exporting.RESULT_COLUMNS


def test_an_export_uses_the_same_filters_and_sort_as_the_list_page(client):
    query = {"region": "region-stuttgart", "field": "medical-engineering", "sort": "-founded", "q": "technik"}  # fmt: skip
    filters = InitiativeFilter(QueryDict(urlencode(query)))
    expected = [initiative.slug for initiative in filters.iter_ordered()]
    rows = csv_rows(client.get(export_url("csv"), query))
    assert [row["slug"] for row in rows] == expected
    listed = client.get(reverse("registry:list"), query).context["page"].total
    assert len(rows) == listed


def test_a_csv_row_holds_the_public_facts_of_an_initiative(client):
    rows = {row["slug"]: row for row in csv_rows(client.get(export_url("csv")))}
    biolago = rows["biolago"]
    assert biolago["name"] == "BioLAGO e.V. - the health network"
    assert biolago["region"] == "Hochrhein-Bodensee"
    assert biolago["kreis"] == "Konstanz (Landkreis)"
    assert biolago["kreis_ags"] == "08335"
    assert biolago["criteria_met"] == "1"
    assert biolago["is_active"] == "true"
    assert biolago["url"] == "http://testserver/cluster/biolago/"
    assert rows["biopro"]["region"] == "landesweit"
    assert "contact_person" not in biolago and "notes" not in biolago


def test_only_published_initiatives_are_exported(client):
    factories.initiative("Entwurf einer Initiative", status="draft")
    assert len(csv_rows(client.get(export_url("csv")))) == 102


def test_formula_like_text_is_neutralised_in_csv_and_xlsx(client):
    formula = "=cmd|' /C calc'!A0"
    factories.initiative(formula, slug="formel", city="+49 Stadt")
    row = next(r for r in csv_rows(client.get(export_url("csv"))) if r["slug"] == "formel")
    assert (row["name"], row["city"]) == ("'" + formula, "'+49 Stadt")
    workbook = load_workbook(io.BytesIO(client.get(export_url("xlsx")).content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    cells = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "formel")
    name = cells[header.index("name")]
    assert (name.value, name.data_type) == ("'" + formula, "s")


def test_the_xlsx_export_keeps_numbers_as_numbers(client):
    response = client.get(export_url("xlsx"), {"region": "region-stuttgart"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exporting.RESULT_COLUMNS
    assert len(rows) - 1 == 15
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    amcrs = by_slug["amcrs"]
    assert isinstance(amcrs["latitude"], float)
    assert amcrs["is_active"] is True
    assert amcrs["technology_fields"] == "Animation; Kreativwirtschaft; Medien; VFX"


def test_the_json_export_has_a_count_and_typed_results(client):
    response = client.get(export_url("json"), {"label": "ecei_gold"})
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["count"] == len(document["results"]) == 7
    first = document["results"][0]
    assert list(first) == exporting.RESULT_COLUMNS
    assert isinstance(first["technology_fields"], list)
    assert isinstance(first["criteria_met"], int)
    assert all(any("ECEI Gold" in label for label in r["labels"]) for r in document["results"])


def test_the_geojson_export_is_a_feature_collection_of_points(client):
    response = client.get(export_url("geojson"), {"region": "region-hochrhein-bodensee"})
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    feature = next(f for f in document["features"] if f["id"] == "biolago")
    longitude, latitude = feature["geometry"]["coordinates"]
    assert (latitude, longitude) == (feature["properties"]["latitude"], feature["properties"]["longitude"])  # fmt: skip
    assert 47 < latitude < 49 and 8 < longitude < 11
    total = ClusterInitiative.objects.filter(region__slug="region-hochrhein-bodensee").count()
    assert len(document["features"]) == total


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "geojson"])
def test_an_export_is_a_dated_download(client, fmt, settings):
    from django.utils import timezone

    response = client.get(export_url(fmt))
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="clusterdatenbank-{day}.{fmt}"'


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_runs_in_a_constant_number_of_queries(client, django_assert_num_queries, fmt):
    # 1 data version, 3 for the rows; the registry index is built (5 more queries)
    # once per process and after each change, hence the warm-ups.
    client.get(export_url(fmt))
    with django_assert_num_queries(4):
        client.get(export_url(fmt), {"field": "medical-engineering"})
    for _ in range(20):
        factories.initiative(fields=["medizintechnik", "photonik"])
    client.get(export_url(fmt))
    with django_assert_num_queries(4):
        response = client.get(export_url(fmt), {"field": "medical-engineering"})
    assert response.content.count(b"/cluster/test-initiative-") == 20


def test_a_bad_filter_is_a_400_naming_the_parameter(client):
    response = client.get(export_url("json"), {"region": "atlantis"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"], list(error["fields"])) == (
        400,
        "invalid_parameters",
        ["region"],
    )
    response = client.get(export_url("csv"), {"sort": "zufall"})
    assert response.status_code == 400
    assert "<code>sort</code>" in response.content.decode()


def test_more_results_than_the_limit_are_refused_with_a_message(client, monkeypatch):
    monkeypatch.setattr(exporting, "MAX_ROWS", 50)
    response = client.get(export_url("json"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Die Suche ergibt 102 Einträge; exportiert werden höchstens 50. "
        "Bitte die Suche mit Filtern eingrenzen."
    )
    page = client.get(reverse("registry:list")).content.decode()
    assert "Die Suche ergibt 102 Einträge; ein Export enthält höchstens 50." in page
    assert export_url("csv") not in page
    assert client.get(export_url("csv"), {"region": "region-stuttgart"}).status_code == 200


def test_the_list_page_links_the_exports_of_the_same_query(client):
    page = client.get(reverse("registry:list"), {"region": "region-stuttgart", "page": 1})
    html = page.content.decode()
    for fmt in ["csv", "xlsx", "json", "geojson"]:
        assert f'href="{export_url(fmt)}?region=region-stuttgart"' in html
    assert "Alle 15 Einträge dieser Suche" in html


def test_export_addresses_are_not_taken_for_profile_slugs(client):
    assert resolve("/cluster/export.csv").url_name == "export"
    assert resolve("/cluster/export/").url_name == "detail"
    assert client.get("/cluster/export.pdf").status_code == 404


def test_the_import_format_export_imports_back_unchanged(admin_client):
    before = database_state()
    changelist = reverse("admin:registry_clusterinitiative_changelist")
    for fmt in ["csv", "xlsx"]:
        response = admin_client.post(
            changelist,
            {
                "action": f"export_import_{fmt}",
                "select_across": "1",
                "_selected_action": [ClusterInitiative.objects.first().pk],
            },
        )
        assert response["Content-Disposition"].startswith(
            'attachment; filename="clusterdatenbank-importformat-'
        )
        report = import_initiatives(read_table(response.content, f"export.{fmt}"))
        assert (len(report.created), len(report.unchanged), report.kept) == (0, 102, [])
    assert database_state() == before


def test_the_import_format_keeps_notes_labels_and_partners_that_free_text_would_lose(tmp_path):
    record = factories.initiative(
        "=Formel am Anfang",
        slug="rundreise",
        description="- erster Punkt\n- zweiter Punkt",
        research_notes="intern; mit Semikolon",
        contact_person="Erika Mustermann",
        innovation_driven=False,
    )
    factories.label(record, "ecei_gold", awarded_year=2022, note="Gold; erneuert 2024 [geplant]")
    record.partnerships.create(country="Schweiz", note="Bodensee")
    record.partnerships.create(country="Österreich", note="Bodensee")
    path = tmp_path / "alle.csv"
    call_command("export_initiatives", path, verbosity=0)
    call_command("import_initiatives", path, update=True, verbosity=0)
    record.refresh_from_db()
    assert record.name == "=Formel am Anfang"
    assert record.description == "- erster Punkt\n- zweiter Punkt"
    assert record.innovation_driven is False
    assert list(record.labels.values_list("kind", "awarded_year", "note")) == [
        ("ecei_gold", 2022, "Gold; erneuert 2024 (geplant)")
    ]
    assert sorted(record.partnerships.values_list("country", "note")) == [
        ("Schweiz", "Bodensee"),
        ("Österreich", "Bodensee"),
    ]
