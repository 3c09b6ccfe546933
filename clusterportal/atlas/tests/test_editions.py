"""The shipped editions as load_data stores them: real figures, idempotence, immutability."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from clusterportal.atlas.models import (
    AtlasRegion,
    Cluster,
    Edition,
    EditionIsPublished,
    RegionSummary,
    Result,
)

pytestmark = pytest.mark.django_db


def test_the_four_shipped_editions_are_published_in_order():
    editions = list(Edition.objects.published().values_list("slug", flat=True))
    assert editions == [
        "bw-kreise-2015-2020",
        "de-kreise-2015-2020",
        "us-states-2016",
        "us-cbsa-2019",
    ]


def test_the_us_states_edition_reproduces_the_published_cluster_mapping_figures():
    edition = Edition.objects.get(slug="us-states-2016")
    michigan = Result.objects.get(edition=edition, region__code="26", cluster__code="4")
    assert round(michigan.lq, 6) == 5.805291
    assert michigan.strong
    strong = Result.objects.filter(edition=edition, strong=True)
    assert strong.filter(cluster__type="traded").count() == 512
    assert strong.filter(cluster__code="4").count() == 12
    # Local clusters are never flagged (docs/atlas-method.md §3).
    assert not strong.filter(cluster__type="local").exists()


def test_the_bw_reference_total_is_the_published_sum_of_the_44_kreise():
    land = AtlasRegion.objects.get(edition__slug="bw-kreise-2015-2020", is_reference=True)
    assert (land.type, land.code, land.name) == ("land", "08", "Baden-Württemberg")
    totals = dict(RegionSummary.objects.filter(region=land).values_list("year", "total_employment"))
    assert totals[2015] == 4_359_526
    assert totals[2020] == 4_726_571


def test_a_bw_location_quotient_equals_the_one_computed_by_hand_from_the_raw_numbers():
    # Stadtkreis Stuttgart (08111), Verarbeitendes Gewerbe (C), 30 June 2020, from
    # de/svb_wz2008_sections_2015_2020.parquet:
    #   Stuttgart C = 78,103; Stuttgart total over the 12 groups incl. X = 336 + 5,841 +
    #   78,103 + 14,784 + 60,675 + 31,616 + 29,487 + 4,011 + 83,825 + 91,772 + 22,593 + 9
    #   = 423,052; Baden-Württemberg C = 1,368,964; BW total = 4,726,571.
    #   LQ = (78,103 / 423,052) / (1,368,964 / 4,726,571) = 0.184618 / 0.289631 = 0.637424
    row = Result.objects.get(
        edition__slug="bw-kreise-2015-2020", region__code="08111", cluster__code="C", year=2020
    )
    assert round(row.lq, 6) == 0.637424
    assert round(row.share, 6) == round(78_103 / 423_052, 6)


def test_bw_regions_link_to_the_registry_and_have_outlines():
    regions = AtlasRegion.objects.filter(edition__slug="bw-kreise-2015-2020")
    assert regions.filter(type="kreis").count() == 44
    assert regions.filter(type="region").count() == 12
    linked = regions.filter(region__isnull=False)
    assert linked.count() == 57  # 44 Kreise, 12 Regionen, the Land
    stuttgart = regions.get(type="region", code="stuttgart")
    assert stuttgart.region.slug == "region-stuttgart"
    assert stuttgart.parent.code == "08"
    assert regions.filter(boundary__isnull=False).count() == 56  # all but the Land


def test_german_cluster_names_and_the_not_assignable_group_are_stored():
    clusters = Cluster.objects.filter(edition__slug="de-kreise-2015-2020")
    assert clusters.count() == 12
    assert clusters.get(code="C").name_de == "Verarbeitendes Gewerbe (C)"
    assert clusters.get(code="X").type == "local"
    assert (
        Cluster.objects.get(edition__slug="us-states-2016", code="4").name_de
        == "Automobilindustrie"
    )


def test_cbsas_have_codes_but_no_names_or_outlines():
    regions = AtlasRegion.objects.filter(edition__slug="us-cbsa-2019", type="cbsa")
    assert regions.count() == 933
    assert not regions.filter(boundary__isnull=False).exists()
    assert regions.get(code="19380").name == "CBSA 19380"


def test_the_manifest_records_the_inputs_with_their_sha256():
    edition = Edition.objects.get(slug="bw-kreise-2015-2020")
    files = edition.manifest["files"]
    assert "data/atlas/de/svb_wz2008_sections_2015_2020.parquet" in files
    assert all(len(digest) == 64 for digest in files.values())
    assert edition.manifest["engine_version"]
    assert edition.manifest["parameters"]["growth"] == [2015, 2020]
    assert edition.citation.startswith(
        "Clusterportal, Regionaler Clusteratlas, Ausgabe bw-kreise-2015-2020, "
    )


def test_load_atlas_skips_editions_whose_inputs_are_unchanged(django_assert_max_num_queries):
    out = io.StringIO()
    with django_assert_max_num_queries(8):
        call_command("load_atlas", stdout=out)
    assert "0 created, 0 updated, 4 unchanged" in out.getvalue()


def test_load_atlas_keeps_a_published_edition_with_changed_inputs_unless_told_to_replace():
    Edition.objects.filter(slug="us-states-2016").update(fingerprint="0" * 64)
    out = io.StringIO()
    call_command("load_atlas", "--edition", "us-states-2016", stdout=out)
    assert "1 published with changed inputs kept" in out.getvalue()
    assert Edition.objects.get(slug="us-states-2016").fingerprint == "0" * 64
    call_command("load_atlas", "--edition", "us-states-2016", "--replace", stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    edition = Edition.objects.get(slug="us-states-2016")
    assert edition.fingerprint != "0" * 64
    assert (
        Result.objects.filter(edition=edition, strong=True, cluster__type="traded").count() == 512
    )


def test_a_published_edition_and_its_results_refuse_changes():
    edition = Edition.objects.get(slug="us-states-2016")
    edition.title = "Anders"
    with pytest.raises(EditionIsPublished):
        edition.save()
    with pytest.raises(EditionIsPublished):
        edition.delete()
    row = Result.objects.filter(edition=edition).first()
    row.employment = 1
    with pytest.raises(EditionIsPublished):
        row.save()
    with pytest.raises(EditionIsPublished):
        row.delete()
    with pytest.raises(EditionIsPublished):
        Edition.objects.get(slug="us-states-2016").publish()
