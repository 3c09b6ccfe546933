"""The shipped editions as load_data stores them: real figures, idempotence, immutability."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from clusterportal.atlas.editions import EDITIONS
from clusterportal.atlas.loading import _plain_texts, _Store, run_engine
from clusterportal.atlas.models import (
    AtlasRegion,
    Cluster,
    Density,
    Edition,
    EditionIsPublished,
    Growth,
    RegionSummary,
    Relatedness,
    Result,
)

pytestmark = pytest.mark.django_db


def test_the_eight_shipped_editions_are_published_in_order():
    editions = list(Edition.objects.published().values_list("slug", flat=True))
    assert editions == [
        "bw-kreise-2015-2020",
        "de-kreise-2015-2020",
        "us-states-2016",
        "us-cbsa-2019",
        "eu-nuts2-nace-2010-2014",
        "eu-nuts2-nace-cmp-2010-2014",
        "eu-nuts2-nace-published-2010-2014",
        "eu-nuts2-benchmark-2010-2014",
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
    with django_assert_max_num_queries(12):
        call_command("load_atlas", stdout=out)
    assert "0 created, 0 updated, 8 unchanged" in out.getvalue()


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


EU = "eu-nuts2-nace-2010-2014"


def test_stuttgarts_motor_vehicles_against_europe_and_against_germany_match_the_hand_count():
    # 2014, persons employed, from data/atlas/raw/eurostat_sbs_r_nuts06_r2_2008_2015.tsv.gz:
    #   DE11 C29 158,012 (published); DE C29 906,405; DE, all 68 divisions published: 27,279,705.
    #   DE11: published divisions 1,580,984 + 9 estimated confidential cells (C19 500, C30 829,
    #   D35 5,733, E36 806, E37 1,103, E38 3,747, E39 98, J60 2,057, J61 6,551 = 21,424)
    #   = 1,602,408.  LQ against Germany = (158,012 / 1,602,408) / (906,405 / 27,279,705)
    #   = 0.0986093 / 0.0332262 = 2.967798.
    region = Result.objects.get(
        edition__slug=EU, region__code="DE11", cluster__code="C29", year=2014
    )
    country = Result.objects.get(
        edition__slug=EU, region__type="country", region__code="DE", cluster__code="C29", year=2014
    )
    assert region.employment == 158_012
    assert round(region.share, 7) == round(158_012 / 1_602_408, 7)
    assert round(region.share / country.share, 6) == 2.967798
    # Not estimated itself; a specialisation far above Europe's: all three stars.
    assert region.estimated_share == 0
    assert region.lq > 5 and region.stars == 3
    summary = RegionSummary.objects.get(region=region.region, year=2014)
    assert summary.total_employment == 1_602_408


def test_an_estimated_cell_says_so_in_its_result():
    # DE91 (Braunschweig) C29 is confidential from 2009 on; 2014: residual 167,202 of Germany
    # split by local units over 7 confidential regions gives 38,044 (data/atlas/eu/
    # sbs_estimated_cells.csv).
    row = Result.objects.get(edition__slug=EU, region__code="DE91", cluster__code="C29", year=2014)
    assert row.employment == 38_044
    assert row.estimated_share == 1.0


def test_europe_has_the_eu28_as_reference_and_outlines_where_nuts_did_not_change():
    regions = AtlasRegion.objects.filter(edition__slug=EU)
    reference = regions.get(is_reference=True)
    assert (reference.type, reference.code) == ("eu", "EU28")
    assert regions.filter(type="country").count() == 29
    assert regions.get(type="nuts2", code="DE11").parent.code == "DE"
    assert regions.get(type="country", code="DE").parent == reference
    assert regions.get(type="country", code="NO").parent is None  # not in the EU-28
    assert regions.get(type="nuts2", code="DE11").boundary is not None
    assert regions.get(type="nuts2", code="FR21").boundary is not None  # FRF2 in 2021
    assert regions.get(type="nuts2", code="LT00").boundary is None  # split in 2016


def test_benchmark_clusters_from_divisions_say_what_share_of_their_codes_they_cover():
    clusters = Cluster.objects.filter(edition__slug="eu-nuts2-benchmark-2010-2014")
    automotive = clusters.get(code="4")
    # 9 NACE classes in the Automotive cluster, 3 of them (29.10, 29.31, 29.32) in division 29.
    assert round(automotive.coverage, 4) == 0.3333
    assert clusters.get(code="1").coverage == 1.0


def test_the_divisions_judged_by_the_cluster_mapping_method():
    """The same cells as the star edition; the cmp method divides by the traded (or local)
    employment (docs/atlas-method.md §3-4): Stuttgart's motor vehicles are strong there too."""
    cmp = "eu-nuts2-nace-cmp-2010-2014"
    assert Edition.objects.get(slug=cmp).method == "cmp"
    rows = Result.objects.filter(edition__slug=cmp, year=2014)
    stuttgart = rows.get(region__code="DE11", cluster__code="C29")
    europe = rows.get(region__is_reference=True, cluster__code="C29")
    assert stuttgart.employment == 158_012  # as in the star edition, from the same file
    traded = {"cluster__type": "traded", "region__type": "nuts2"}
    region_traded = sum(
        rows.filter(region__code="DE11", **traded).values_list("employment", flat=True)
    )
    europe_traded = sum(
        rows.filter(region__is_reference=True, cluster__type="traded").values_list(
            "employment", flat=True
        )
    )
    expected = (158_012 / region_traded) / (europe.employment / europe_traded)
    assert round(stuttgart.lq, 6) == round(expected, 6)
    assert stuttgart.strong
    star = Result.objects.get(edition__slug=EU, region__code="DE11", cluster__code="C29", year=2014)
    assert star.stars == 3 and stuttgart.lq != star.lq  # another denominator, same verdict


def test_the_edition_without_estimates_holds_only_published_cells():
    """DE11 in 2014 without its nine estimated cells: 1,580,984 persons (the hand count in
    the test above); Braunschweig's confidential motor vehicles (an estimate of 38,044 in the
    edition with estimates) are missing; no result claims an estimated share."""
    published = "eu-nuts2-nace-published-2010-2014"
    rows = Result.objects.filter(edition__slug=published, year=2014)
    stuttgart = rows.get(region__code="DE11", cluster__code="C29")
    assert stuttgart.employment == 158_012
    summary = RegionSummary.objects.get(region=stuttgart.region, year=2014)
    assert summary.total_employment == 1_580_984
    assert not rows.filter(region__code="DE91", cluster__code="C29").exists()
    assert not rows.filter(region__code="DE11", cluster__code="C30").exists()  # C30: estimated
    assert not rows.filter(estimated_share__gt=0).exists()
    assert "keine Schätzungen" in Edition.objects.get(slug=published).limitations


def stored_and_expected(model, edition, table, columns: dict[str, str]) -> tuple[list, list]:
    """The rows of `model` in `edition` and the rows of the engine's `table`, both sorted, as
    tuples of the fields `columns` fills (a region by its type and code, a cluster by its code)."""
    fields, names = [], []
    for field, column in columns.items():
        if field == "region":
            fields += ["region__type", "region__code"]
            names += ["region_type", column]
        else:
            fields.append(f"{field}__code" if field in ("cluster", "related_cluster") else field)
            names.append(column)
    stored = sorted(model.objects.filter(edition=edition).values_list(*fields))
    expected = sorted(tuple(row[n] for n in names) for row in _plain_texts(table).to_pylist())
    return stored, expected


def test_every_stored_value_is_the_engines_to_the_last_bit():
    """What load_data wrote (executemany on SQLite, COPY on PostgreSQL) against a fresh run
    of the engine: every row and value of the European edition's tables, the floats equal
    to the last bit (COPY sends them as text)."""
    spec = next(spec for spec in EDITIONS if spec.slug == EU)
    edition = Edition.objects.get(slug=EU)
    result = run_engine(spec, settings.DATA_DIR)
    tables = _Store(spec, settings.DATA_DIR, edition, result).result_tables()
    assert [model for model, _, _ in tables] == [
        Result,
        RegionSummary,
        Growth,
        Relatedness,
        Density,
    ]
    result_fields = ["region", "cluster", "year", "employment", "establishments", "wage", "share"]
    result_fields += ["reference_share", "lq", "strong", "size_star", "specialisation_star"]
    result_fields += ["focus_star", "stars", "estimated_share"]
    assert sorted(tables[0][2]) == sorted(result_fields)
    for model, table, columns in tables:
        stored, expected = stored_and_expected(model, edition, table, columns)
        assert len(stored) == len(expected) > 0, model
        assert stored == expected, model
    assert Result.objects.filter(edition=edition).count() > 100_000
