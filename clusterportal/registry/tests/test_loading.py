"""The shipped real data, as loaded by `clusterportal load_data` (conftest loads it once)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative, Label
from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_data", *args, stdout=out)
    return out.getvalue()


def test_every_initiative_of_the_research_table_is_loaded_and_published():
    kinds = dict(ClusterInitiative.objects.published().values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"cluster_initiative": 76, "statewide_network": 21, "state_agency": 5}


def test_the_region_tree_has_the_official_keys():
    counts = dict(Region.objects.values_list("kind").annotate(n=Count("pk")))
    assert counts == {"country": 1, "land": 1, "regierungsbezirk": 4, "region": 12, "kreis": 44}
    stuttgart = Region.objects.get(kind="kreis", code="08111")
    assert (str(stuttgart), stuttgart.slug) == ("Stuttgart (Stadtkreis)", "stadtkreis-stuttgart")
    assert [r.name for r in stuttgart.ancestors()] == [
        "Stuttgart",
        "Stuttgart",
        "Baden-Württemberg",
        "Deutschland",
    ]
    assert [r.kind for r in stuttgart.ancestors()] == [
        "region",
        "regierungsbezirk",
        "land",
        "country",
    ]
    assert Region.objects.get(kind="regierungsbezirk", name="Tübingen").code == "084"


def test_kreis_centroids_lie_inside_baden_wuerttemberg():
    for kreis in Region.objects.of_kind("kreis"):
        assert 47.5 < kreis.centroid_lat < 49.8 and 7.5 < kreis.centroid_lon < 10.5, kreis


def test_the_technology_fields_have_two_levels():
    assert TechnologyField.objects.top_level().count() == 34
    assert TechnologyField.objects.filter(parent__isnull=False).count() == 104
    assert (
        TechnologyField.objects.get(slug="medizintechnologie").parent.slug == "medical-engineering"
    )


def test_historical_and_unconfirmed_entries_are_marked():
    ended = dict(
        ClusterInitiative.objects.filter(is_active=False).values_list("slug", "ended_year")
    )
    assert ended == {
        "leichtbau-bw": 2022,
        "neb": 2022,
        "pec": 2020,
        "virtual-dimension-center-st-georgen": 2023,
    }
    assert ClusterInitiative.objects.filter(listing_confirmed=False).count() == 24
    leichtbau = ClusterInitiative.objects.get(slug="leichtbau-bw")
    assert leichtbau.status_note.startswith("Historischer Eintrag")


def test_figures_are_taken_as_written_and_unknowns_stay_empty():
    bwcon = ClusterInitiative.objects.get(slug="bwcon")
    assert (bwcon.member_count, bwcon.member_count_year, bwcon.member_count_is_approximate) == (
        650,
        2022,
        True,
    )
    biopro = ClusterInitiative.objects.get(slug="biopro")
    assert (biopro.founded_year, biopro.staff_count, biopro.staff_year, biopro.website) == (
        2002,
        14,
        2017,
        "",
    )
    assert ClusterInitiative.objects.filter(member_count__isnull=False).count() == 29
    assert ClusterInitiative.objects.filter(founded_year__isnull=False).count() == 55


def test_labels_get_dates_and_the_two_year_validity_of_cluster_excellence():
    assert Label.objects.count() == 30
    label = Label.objects.get(
        initiative__slug="cluster-elektromobilitaet-sued-west", kind="cluster_excellence_bw"
    )
    assert (label.awarded_on, label.valid_until) == (
        datetime.date(2014, 2, 18),
        datetime.date(2016, 2, 18),
    )
    assert label.is_valid_on(datetime.date(2026, 11, 21)) is False
    gold = Label.objects.filter(kind="ecei_gold").values_list("initiative__slug", flat=True)
    assert sorted(gold) == [
        "afbw",
        "biolago",
        "biorn",
        "cyberforum",
        "medicalmountains",
        "photonics-bw",
        "technologymountains",
    ]


def test_markers_sit_at_the_centre_of_the_seat_kreis():
    stuttgart = Region.objects.get(kind="kreis", code="08111")
    biopro = ClusterInitiative.objects.get(slug="biopro")
    assert biopro.seat_kreis == stuttgart
    assert (biopro.latitude, biopro.longitude) == (stuttgart.centroid_lat, stuttgart.centroid_lon)
    assert biopro.location_is_approximate
    without = ClusterInitiative.objects.filter(latitude__isnull=True).values_list("slug", flat=True)
    assert sorted(without) == ["fan", "nanovalley-eu"]


def test_loading_again_changes_nothing_and_says_so():
    output = load()
    assert "regions: 0 created, 0 updated, 62 unchanged, 0 rejected" in output
    assert "technology fields: 0 created, 0 updated, 138 unchanged, 0 rejected" in output
    assert "cluster initiatives: 0 created, 0 updated, 102 unchanged, 0 rejected" in output


def test_a_curators_edit_is_kept_unless_update_is_asked_for():
    cyberforum = ClusterInitiative.objects.get(slug="cyberforum")
    cyberforum.description = "Von der Redaktion ergänzt."
    cyberforum.save()
    assert "101 unchanged, 1 kept as edited" in load()
    cyberforum.refresh_from_db()
    assert cyberforum.description == "Von der Redaktion ergänzt."
    assert "1 updated, 101 unchanged" in load("--update")
    cyberforum.refresh_from_db()
    assert cyberforum.description == ""
