"""U.S.: the NAICS 2017 -> 2012 crosswalk, the benchmark definition and CBP 2019."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from clusterportal.analytics.datasets import naics
from clusterportal.analytics.datasets.tables import read_csv, read_employment_parquet

from .conftest import RAW


def test_crosswalk_shares_sum_to_one_for_every_naics_2017_code(
    crosswalk: list[naics.CrosswalkLink], titles: Any
) -> None:
    sums: dict[str, float] = defaultdict(float)
    for link in crosswalk:
        sums[link.from_code] += link.share
    assert set(sums) == set(titles[1]) and len(sums) == 1057
    assert all(abs(total - 1.0) < 1e-9 for total in sums.values())


def test_codes_identical_in_both_vintages_map_one_to_one(
    crosswalk: list[naics.CrosswalkLink],
) -> None:
    relations: dict[str, int] = defaultdict(int)
    for link in crosswalk:
        relations[link.relation] += 1
    assert dict(relations) == {"identical": 1036, "title_changed": 1, "concordance": 32}
    title_changed = [link for link in crosswalk if link.relation == "title_changed"]
    assert [(link.from_code, link.to_code) for link in title_changed] == [("721310", "721310")]


def test_a_2017_code_that_merged_three_2012_codes_splits_in_equal_shares(
    crosswalk: list[naics.CrosswalkLink],
) -> None:
    links = [(link.to_code, link.share) for link in crosswalk if link.from_code == "454110"]
    assert links == [("454111", 0.333333), ("454112", 0.333333), ("454113", 0.333334)]
    r_and_d = [(link.to_code, link.share) for link in crosswalk if link.from_code == "541713"]
    assert r_and_d == [("541711", 0.5), ("541712", 0.5)]


def test_the_changed_links_match_the_bls_summary_of_the_2017_revision(
    changed: list[tuple[str, str]],
) -> None:
    targets: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    for code_2012, code_2017 in changed:
        targets[code_2012].add(code_2017)
        sources[code_2017].add(code_2012)
    split = {c for c, t in targets.items() if len(t) > 1}
    whole = {c: min(t) for c, t in targets.items() if len(t) == 1}
    # Consolidated: the 2017 code is formed only from whole 2012 codes, several of them.
    consolidated = {
        c for c, t in whole.items() if len(sources[t]) > 1 and all(s in whole for s in sources[t])
    }
    direct = set(whole) - consolidated
    assert len(targets) == 28
    assert (len(direct), len(consolidated), len(split)) == (11, 13, 4)
    assert len({whole[c] for c in consolidated}) == 5


def test_every_2017_code_reaches_at_most_one_cluster(
    crosswalk: list[naics.CrosswalkLink], definition: naics.DefinitionResult
) -> None:
    cluster_of = {a.industry_code: a.cluster_code for a in definition.assignments}
    reached: dict[str, set[str]] = defaultdict(set)
    for link in crosswalk:
        if link.to_code in cluster_of:
            reached[link.from_code].add(cluster_of[link.to_code])
    assert all(len(clusters) == 1 for clusters in reached.values())


def test_the_definition_uses_the_67_cluster_codes_of_the_identity_file(
    definition: naics.DefinitionResult,
) -> None:
    identity = read_csv(RAW / "us_benchmark_clusters_identity.csv")
    expected = {(r["cluster_code"], r["cluster_name"], r["type"]) for r in identity}
    used = {(a.cluster_code, a.cluster_name, a.type) for a in definition.assignments}
    assert used == expected and len(used) == 67
    codes = sorted(int(code) for code, _, _ in used)
    assert codes == list(range(1, 52)) + list(range(101, 117))


def test_each_industry_is_in_one_cluster_and_is_a_naics_2012_code(
    definition: naics.DefinitionResult, titles: Any
) -> None:
    codes = [a.industry_code for a in definition.assignments]
    assert len(codes) == len(set(codes)) == 978
    assert set(codes) <= set(titles[0])


def test_the_37_emsi_nonstandard_rows_are_excluded(definition: naics.DefinitionResult) -> None:
    reasons: dict[str, int] = defaultdict(int)
    for row in definition.excluded:
        reasons[row["reason"]] += 1
    flagged = reasons["emsi_nonstandard"] + reasons["emsi_nonstandard (government pseudo-cluster)"]
    assert flagged == 37
    assert reasons["no cluster"] == 1  # 814110 Private Households
    assert reasons["NAICS 2017 code, not a NAICS 2012 code"] == 4
    kept = {a.industry_code for a in definition.assignments}
    assert not kept & {"525110", "525120", "525190", "525920", "111000", "901199"}


def test_replaced_2012_codes_take_the_cluster_of_their_2017_successor(
    definition: naics.DefinitionResult,
) -> None:
    by_code = {a.industry_code: a for a in definition.assignments}
    assert by_code["454111"].cluster_name == "Distribution and Electronic Commerce"
    assert by_code["454111"].origin == "via_2017_standard"
    assert by_code["517110"].cluster_code == "104"  # Local Utilities, from flagged 517311
    assert by_code["517110"].origin == "via_2017_flagged"
    assert by_code["541711"].cluster_code == "13"
    assert by_code["541711"].subcluster_name.startswith("Research and Development in Biotech")
    origins: dict[str, int] = defaultdict(int)
    for a in definition.assignments:
        origins[a.origin] += 1
    assert dict(origins) == {"acr1": 950, "via_2017_standard": 10, "via_2017_flagged": 18}


def test_subclusters_are_kept_with_our_own_codes(definition: naics.DefinitionResult) -> None:
    automotive = {
        a.subcluster_code: a.subcluster_name
        for a in definition.assignments
        if a.cluster_code == "4"
    }
    assert automotive["4.05"] == "Motor Vehicles"
    assert all(a.subcluster_code.startswith(a.cluster_code + ".") for a in definition.assignments)


def test_cbp_has_only_6_digit_rows_for_933_cbsas_and_a_summed_reference(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, report = built
    rows = read_employment_parquet(out / "us" / "cbp2019_cbsa_naics2017.parquet")
    cbsa = [r for r in rows if r["region_type"] == "cbsa"]
    reference = [r for r in rows if r["region_type"] == "country"]
    assert len(cbsa) == 200_009 and len({r["region_code"] for r in cbsa}) == 933
    assert {r["region_code"] for r in reference} == {"US-CBSA"}
    assert sum(r["employment"] for r in cbsa) == sum(r["employment"] for r in reference)
    assert sum(r["employment"] for r in reference) == 115_591_806
    assert report["us_cbp2019"]["employment_all_sectors_00"] == 122_485_576
    assert all(len(r["industry_code"]) == 6 for r in rows)
    boston = [r for r in cbsa if r["region_code"] == "14460" and r["industry_code"] == "541715"]
    assert boston and boston[0]["employment"] > 10_000


def test_no_cbp_code_is_unmapped_and_17_would_be_without_the_restored_rows(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, report = built
    assert report["us_cbp2019"]["unmapped_codes"] == 0
    strict = report["us_cbp2019"]["unmapped_if_flagged_rows_not_restored"]
    assert strict == {"codes": 17, "employment": 4_300_119.0}
    rows = read_csv(out / "us" / "cbp2019_unmapped_naics2017.csv")
    assert {r["definition"] for r in rows} == {"without_flagged_restorations"}
    warehouse = next(r for r in rows if r["naics2017"] == "452311")
    assert warehouse["employment"] == "1546010"


def test_the_linkage_file_carries_cluster_codes(built: tuple[Path, dict[str, Any]]) -> None:
    out, _ = built
    rows = read_csv(out / "definitions" / "us_benchmark_cluster_linkage.csv")
    assert len(rows) == 203
    first = rows[0]
    assert (first["core_cluster_code"], first["linked_cluster_code"]) == ("1", "23")


def test_german_names_cover_all_67_clusters_and_say_they_are_our_translation(
    built: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = built
    rows = read_csv(out / "definitions" / "us_benchmark_cluster_names_de.csv")
    assert len(rows) == 67
    assert all(r["cluster_name_de"] and "Eigene Übersetzung" in r["translation"] for r in rows)
    assert next(r for r in rows if r["cluster_code"] == "30")["cluster_name_de"] == "Medizintechnik"
