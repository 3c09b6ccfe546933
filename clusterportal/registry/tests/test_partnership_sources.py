"""data/registry/international_partnerships.csv: partnerships with a source each.

The shipped file has 11 rows from the ministry's "Thema des Monats" on internationalising
cluster initiatives (MedicalMountains: USA, Finland; BioRN: Belgium, Netherlands, Denmark;
Software-Cluster: Brazil, Singapore, USA; Forum Organic Electronics: South Korea, USA;
Cluster Elektromobilität Süd-West: France), checked against the page by hand.
"""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from clusterportal.lib.tables import read_table
from clusterportal.registry.exporting import IMPORT_COLUMNS, import_rows
from clusterportal.registry.importing import import_initiatives
from clusterportal.registry.loading import (
    CLUSTERS_FILE,
    PARTNERSHIPS_FILE,
    load_bw_initiatives,
    load_partnerships,
)
from clusterportal.registry.models import ClusterInitiative, InternationalPartnership
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db

THEMA = (
    "https://www.clusterportal-bw.de/en/newsroom/topic-of-the-month/"
    "neue-ansaetze-zur-internationalisierung-von-cluster-initiativen/"
)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the shipped partnerships file, to spoil."""
    (tmp_path / "registry").mkdir()
    shutil.copy(settings.DATA_DIR / PARTNERSHIPS_FILE, tmp_path / PARTNERSHIPS_FILE)
    return tmp_path


def with_line(data_dir: Path, line: str) -> None:
    with (data_dir / PARTNERSHIPS_FILE).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_the_thema_des_monats_partnerships_are_loaded_with_their_source():
    sourced = InternationalPartnership.objects.exclude(source_url="")
    assert sourced.count() == 11
    assert set(sourced.values_list("source_url", flat=True)) == {THEMA}
    medical = sourced.filter(initiative__slug="medicalmountains")
    assert sorted(medical.values_list("country", flat=True)) == ["Finnland", "USA"]
    biorn = sourced.filter(initiative__slug="biorn")
    assert sorted(biorn.values_list("country", "partner_region")) == [
        ("Belgien", "Health Axis"), ("Dänemark", "Health Axis"), ("Niederlande", "Health Axis"),
    ]  # fmt: skip
    # The research table's partnership of MedicalMountains stays, without a source of its own.
    arab = InternationalPartnership.objects.get(
        initiative__slug="medicalmountains", country="Arabische Staaten"
    )
    assert (arab.note, arab.source_url) == ("2018", "")


def test_loading_again_changes_nothing_and_the_command_says_so(data_dir):
    report = load_partnerships(data_dir)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 11, [])
    text = str(load_bw_initiatives(settings.DATA_DIR))
    assert "cluster initiatives: 0 created, 0 updated, 102 unchanged, 0 rejected" in text
    assert "international partnerships with sources: 0 created, 0 updated, 11 unchanged" in text


def test_a_changed_row_updates_its_partnership(data_dir):
    path = data_dir / PARTNERSHIPS_FILE
    path.write_text(path.read_text().replace("Health Axis", "Health Axis Europe", 1))
    report = load_partnerships(data_dir)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 10)
    belgium = InternationalPartnership.objects.get(initiative__slug="biorn", country="Belgien")
    assert belgium.partner_region == "Health Axis Europe"


def test_an_update_of_the_research_table_keeps_the_sourced_partnerships(settings):
    """The import rewrites the partnerships of a changed initiative from international_focus;
    those with a source of their own are not the import's and stay."""
    table = read_table((settings.DATA_DIR / CLUSTERS_FILE).read_bytes(), CLUSTERS_FILE)
    rows = [
        {**row, "status": "published", "international_focus": "Japan"}
        for row in table.rows
        if row["name"] == "MedicalMountains GmbH"
    ]
    report = import_initiatives(replace(table, header=[*table.header, "status"], rows=rows),
                                update=True)  # fmt: skip
    assert report.updated == ["medicalmountains"]
    medical = InternationalPartnership.objects.filter(initiative__slug="medicalmountains")
    assert sorted(medical.values_list("country", "source_url")) == [
        ("Finnland", THEMA), ("Japan", ""), ("USA", THEMA),
    ]  # fmt: skip
    # And the import format exports only the one it can read back.
    row = dict(zip(IMPORT_COLUMNS, next(import_rows(ClusterInitiative.objects.filter(
        slug="medicalmountains"))), strict=True))  # fmt: skip
    assert row["international_focus"] == "Japan"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("MedicalMountains GmbH,XX,Xland,,,Quelle,https://example.org/",
         "line 13: country_code 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("MedicalMountains GmbH,us,USA,,,Quelle,https://example.org/",
         "line 13: country_code 'us' is not an ISO 3166-1 alpha-2 country code"),
        ("Medical Mountains,FI,Finnland,,,Quelle,https://example.org/",
         "line 13: initiative 'Medical Mountains': no initiative has this name"),
        ("MedicalMountains GmbH,JP,Japan,,,,https://example.org/",
         "line 13: source_name is empty"),
        ("MedicalMountains GmbH,JP,Japan,,,Quelle,javascript:alert(1)",
         "line 13: source_url 'javascript:alert(1)' is not a web address"),
        ("MedicalMountains GmbH,US,Vereinigte Staaten,,,Quelle,https://example.org/",
         "line 13: 'MedicalMountains GmbH' with US is given twice"),
        ("TechnologyMountains e.V.,FI,Finnland,,Projekt MInD,Quelle,https://example.org/",
         "line 13: 'Finnland' is already a partnership of this initiative in "
         "registry/bw_clusters.csv (international_focus); take it out there to give it a "
         "source here"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_with_its_line_and_reason_and_nothing_changes(data_dir, line, reason):
    before = list(InternationalPartnership.objects.values_list("pk", "country", "source_url"))
    with_line(data_dir, line)
    report = load_partnerships(data_dir)
    assert report.rejected == [f"{PARTNERSHIPS_FILE}, {reason}"]
    assert report.created == report.updated == 0
    assert (
        list(InternationalPartnership.objects.values_list("pk", "country", "source_url")) == before
    )


def test_wrong_columns_are_refused(data_dir):
    (data_dir / PARTNERSHIPS_FILE).write_text("initiative,country\nMedicalMountains GmbH,US\n")
    report = load_partnerships(data_dir)
    assert len(report.rejected) == 1
    assert report.rejected[0].startswith(f"{PARTNERSHIPS_FILE}, line 1: the columns are")


ADD = reverse("admin:registry_internationalpartnership_add")


def add_form(**values) -> dict:
    medical = ClusterInitiative.objects.get(slug="medicalmountains")
    return {"initiative": medical.pk, "country": "Japan", "partner_region": "", "note": "",
            "source_name": "", "source_url": "", **values}  # fmt: skip


def test_in_the_back_office_a_source_needs_its_name_and_its_address(people):
    client = Client()
    log_in_with_totp(client, people.clara)
    response = client.post(ADD, add_form(source_url="https://example.org/japan"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "source_name": ["Nennen Sie die Quelle, deren Adresse angegeben ist."]
    }
    response = client.post(ADD, add_form(source_name="Beispiel"))
    assert response.context["adminform"].form.errors == {
        "source_url": ["Geben Sie die Adresse der Quelle an."]
    }
    response = client.post(ADD, add_form(source_url="javascript:alert(1)", source_name="x"))
    assert list(response.context["adminform"].form.errors) == ["source_url"]
    assert not InternationalPartnership.objects.filter(
        country="Japan", initiative__slug="medicalmountains"
    ).exists()
    response = client.post(
        ADD, add_form(source_name="Beispiel", source_url="https://example.org/japan")
    )
    assert response.status_code == 302
    added = InternationalPartnership.objects.get(
        initiative__slug="medicalmountains", country="Japan"
    )
    assert (added.source_name, added.source_url) == ("Beispiel", "https://example.org/japan")


def test_a_cluster_manager_cannot_add_partnerships_in_the_back_office(people):
    client = Client()
    client.force_login(people.mia)
    response = client.post(ADD, add_form(source_name="Beispiel", source_url="https://example.org/"))
    assert response.status_code in (302, 403)
    medical = InternationalPartnership.objects.filter(initiative__slug="medicalmountains")
    assert not medical.filter(country="Japan").exists()


def test_an_approved_change_of_the_partnerships_keeps_the_sources_of_the_rows_that_stay(people):
    """The manager of MedicalMountains drops Finland and adds Japan: the USA keeps the
    ministry's page as its source, Japan has none (the manager's own statement)."""
    from clusterportal.accounts.models import Role, grant
    from clusterportal.changes.forms import validate
    from clusterportal.changes.models import ChangeRequest, edit_token

    medical = ClusterInitiative.objects.get(slug="medicalmountains")
    grant(people.mia, Role.Kind.CLUSTER_MANAGER, initiative=medical)
    rows = [
        {"country": p.country, "partner_region": p.partner_region, "note": p.note}
        for p in medical.partnerships.exclude(country="Finnland")
    ] + [{"country": "Japan", "partner_region": "Kansai", "note": ""}]
    request = ChangeRequest.propose(
        medical,
        people.mia,
        validate(medical, {"partnerships": rows}),
        edit_token=edit_token(medical),
    )
    request.approve(people.rainer)
    sources = dict(medical.partnerships.values_list("country", "source_url"))
    assert sources == {"USA": THEMA, "Arabische Staaten": "", "Japan": ""}
    assert medical.partnerships.get(country="USA").source_name != ""


def test_the_profile_and_the_api_name_each_sourced_partnership_s_source(client):
    html = client.get("/cluster/medicalmountains/").content.decode()
    assert f'<a href="{THEMA}" rel="noopener">' in html
    body = client.get("/api/v1/initiatives/medicalmountains").json()
    sources = {p["country"]: p["source"] for p in body["partnerships"]}
    assert sources["Arabische Staaten"] is None  # the research table's row: the profile's sources
    assert sources["USA"]["url"] == THEMA
    assert sources["Finnland"]["url"] == THEMA
