"""Registered initiatives beside the statistical clusters, white spots, and the mapping files."""

from __future__ import annotations

import csv

import pyarrow as pa
import pytest
from django.conf import settings
from django.urls import reverse

from clusterportal.analytics import compute
from clusterportal.atlas import initiatives
from clusterportal.atlas.initiatives import RegionInitiatives, field_clusters
from clusterportal.atlas.models import AtlasRegion, Result
from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db

DEFINITIONS = settings.DATA_DIR / "atlas" / "definitions"


def read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def karlsruhe(year: int = 2020) -> RegionInitiatives:
    region = AtlasRegion.objects.get(
        edition__slug="bw-kreise-2015-2020", type="kreis", code="08212"
    )
    results = Result.objects.filter(region=region, year=year).select_related("cluster")
    page = RegionInitiatives.of(region, "de_wz2008_section_groups", results)
    assert page is not None
    return page


def test_white_spots_of_the_stadtkreis_karlsruhe_follow_the_mapping(monkeypatch):
    # As they would be read from a definition fine enough (section groups are not:
    # the next test). By hand, 2020: Karlsruhe (08212) is strong in J, K and M-N (stars >= 2). The active
    # initiatives seated there are aen (automotive, production-technology -> C),
    # cyberforum, smart-businessit, software-cluster (information-technology -> J) and
    # fokus-energie (energy -> BDE, C). So J has initiatives; K and M-N are white spots;
    # aen and fokus-energie match no strong cluster (C and BDE are not strong there).
    monkeypatch.setattr(initiatives, "COARSE_DEFINITIONS", set())
    page = karlsruhe()
    assert sorted(page.by_cluster["J"], key=lambda i: i.slug) == sorted(
        (
            i
            for i in page.initiatives
            if i.slug in {"cyberforum", "smart-businessit", "software-cluster"}
        ),
        key=lambda i: i.slug,
    )
    assert [r.cluster.code for r in page.white_spots] == ["K", "M-N"]
    assert sorted(u.initiative.slug for u in page.unmatched) == ["aen", "fokus-energie"]
    aen = next(u for u in page.unmatched if u.initiative.slug == "aen")
    assert [r.cluster.code for r in aen.clusters] == ["C"]


def test_with_section_groups_no_white_spot_is_claimed():
    """All of manufacturing is one group: that aen (automotive) finds no strong cluster
    in Karlsruhe says nothing about automotive there, nor do K and M-N lack initiatives."""
    page = karlsruhe()
    assert page.coarse
    assert page.white_spots == [] and page.unmatched == []
    assert [r.cluster.code for r in page.strong_not_judgeable] == ["K", "M-N"]
    assert sorted(u.initiative.slug for u in page.not_judgeable) == ["aen", "fokus-energie"]


def test_the_region_page_says_the_white_spots_cannot_be_judged_and_downloads_them(client):
    url = reverse(
        "atlas:region", kwargs={"edition": "bw-kreise-2015-2020", "type": "kreis", "code": "08212"}
    )
    html = client.get(url).content.decode()
    assert "Weiße Flecken: mit diesen Daten nicht beurteilbar" in html
    assert "Starke Cluster ohne registrierte Initiative" not in html
    assert "Initiativen ohne passenden starken Cluster" not in html
    rows = list(
        csv.DictReader(client.get(url + "initiatives.csv").content.decode("utf-8-sig").splitlines())
    )
    relations = {r["relation"] for r in rows}
    assert "strong_cluster_without_initiative" not in relations
    assert "initiative_without_strong_cluster" not in relations
    strong = [r["cluster_code"] for r in rows if r["relation"] == "strong_cluster_not_judgeable"]
    assert strong == ["K", "M-N"]
    initiatives_ = {
        r["initiative_slug"] for r in rows if r["relation"] == "initiative_not_judgeable"
    }
    assert initiatives_ == {"aen", "fokus-energie"}


def test_stuttgarts_automotive_initiatives_are_not_called_initiatives_without_a_cluster(client):
    """The audit: CARS, automotive-bw and e-mobil BW were listed as "Initiativen ohne
    passenden starken Cluster" in Stuttgart (the Stadtkreis, their seat), a conclusion
    these data cannot carry."""
    url = reverse(
        "atlas:region",
        kwargs={"edition": "bw-kreise-2015-2020", "type": "kreis", "code": "08111"},
    )
    page = client.get(url).context["page"].initiatives
    not_judgeable = {u.initiative.slug for u in page.not_judgeable}
    automotive = {"cars", "automotive-bw", "e-mobil-bw"}
    assert automotive <= not_judgeable
    assert not automotive & {u.initiative.slug for u in page.unmatched}


def test_regions_outside_baden_wuerttemberg_have_no_initiatives_section():
    region = AtlasRegion.objects.get(edition__slug="us-states-2016", code="26")
    assert RegionInitiatives.of(region, "us_benchmark_clusters", []) is None


def test_the_mapping_names_only_known_fields_and_clusters():
    rows = read(DEFINITIONS / "bw_technology_fields_to_clusters.csv")
    top_level = set(TechnologyField.objects.top_level().values_list("slug", flat=True))
    assert {r["technology_field"] for r in rows} == top_level
    sections = {r["cluster_code"] for r in read(DEFINITIONS / "de_wz2008_section_groups.csv")}
    benchmark = {r["cluster_code"] for r in read(DEFINITIONS / "us_benchmark_cluster_names_de.csv")}
    own = {r["cluster_code"] for r in read(DEFINITIONS / "bw_technology_fields_wz2008.csv")}
    known = {
        "de_wz2008_section_groups": sections,
        "us_benchmark_clusters": benchmark,
        "bw_technology_fields_wz2008": own,
    }
    for row in rows:
        assert row["cluster_code"] in known[row["definition"]], row
        assert row["classification"].startswith("Eigene Zuordnung")
    assert field_clusters("de_wz2008_section_groups")["medical-engineering"] == {"C"}
    assert field_clusters("de_wz2008_section_groups")["information-technology"] == {"J"}
    assert field_clusters("de_wz2008_section_groups")["finance"] == {"K"}
    assert field_clusters("de_wz2008_section_groups")["logistics"] == {"G-I"}


def test_the_user_defined_definition_uses_real_wz_classes_once_each_and_runs_in_the_engine():
    rows = read(DEFINITIONS / "bw_technology_fields_wz2008.csv")
    wz = {
        r["code"]: r["title_de_wz2008"]
        for r in read(settings.DATA_DIR / "atlas" / "raw" / "wz2008_nace_rev2_de_en.csv")
        if r["level"] == "4"
    }
    codes = [r["industry_code"] for r in rows]
    assert len(codes) == len(set(codes)) == 252
    assert all(wz[r["industry_code"]] == r["title_de"] for r in rows)
    fields = set(TechnologyField.objects.top_level().values_list("slug", flat=True))
    assert {r["cluster_code"] for r in rows} <= fields
    # A Kreis with car making and software, one without: the engine accepts the definition.
    employment = pa.table(
        {
            "year": [2020, 2020, 2020],
            "region_type": ["kreis"] * 3,
            "region_code": ["08111", "08111", "08115"],
            "industry_code": ["29.10", "62.01", "29.10"],
            "employment": [100.0, 50.0, 80.0],
            "establishments": [None, None, None],
        }
    )
    result = compute(employment, DEFINITIONS / "bw_technology_fields_wz2008.csv", method="eco")
    lq = {
        (r["region_code"], r["cluster_code"]): r["lq"] for r in result.region_clusters.to_pylist()
    }
    # (100/150) / (180/230) = 0.851852; (80/80) / (180/230) = 1.277778
    assert round(lq[("08111", "automotive")], 6) == 0.851852
    assert round(lq[("08115", "automotive")], 6) == 1.277778
