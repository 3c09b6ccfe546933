"""The free-text cells of the research table, parsed as written (real cells)."""

import datetime

import pytest

from clusterportal.registry.parsing import (
    Count,
    UnknownLabel,
    latest_count,
    parse_international,
    parse_labels,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("45 (2008); 52 (~2015); 35 (2007)", Count(52, 2015, True, False)),
        (
            ">1,200 (2022); 10 founding members (1997); ~200 (1998); 870 (2011)",
            Count(1200, 2022, True, False),
        ),
        ("40 (08/2012)", Count(40, 2012, False, False)),
        ("~30 partners", Count(30, None, True, False)),
        (
            "15 founding companies (3.9.2018); 19 companies (June 2021)",
            Count(19, 2021, False, True),
        ),
        ("52 firms", Count(52, None, False, True)),
        (
            ">150 (2015); ~250 (2017); 260 (FY2017/18, nearly 300 late 2018); 379 (end 2020); 400 (2021)",
            Count(400, 2021, False, False),
        ),
    ],
)
def test_the_latest_dated_member_count_is_taken(cell, expected):
    assert latest_count(cell) == expected


def test_figures_that_are_not_members_are_not_counted():
    assert latest_count("network: 2,500 companies + 380 research institutes (2022)") is None
    assert latest_count("~120 IT companies on site (2015)") is None
    assert latest_count("") is None


def test_a_dated_label_gets_its_date_and_notes():
    (label,) = parse_labels("Cluster-Exzellenz BW (6.2.2015)")
    assert (label.kind, label.awarded_on, label.awarded_year, label.note) == (
        "cluster_excellence_bw",
        datetime.date(2015, 2, 6),
        2015,
        "",
    )


def test_repeated_awards_are_kept_and_undated_duplicates_dropped():
    labels = parse_labels(
        "Cluster-Exzellenz BW (18.2.2014); BMBF-Spitzencluster (2012); Cluster-Exzellenz BW (18.2.2014, 7th holder)"
    )
    assert [(f.kind, f.awarded_on, f.awarded_year, f.note) for f in labels] == [
        ("cluster_excellence_bw", datetime.date(2014, 2, 18), 2014, "7th holder"),
        ("spitzencluster", None, 2012, ""),
    ]
    gold = parse_labels(
        "Cluster-Exzellenz BW; ECEI Gold; Gold (European + BW excellence label, ~2022-2023)"
    )
    assert [(f.kind, f.awarded_year) for f in gold] == [
        ("cluster_excellence_bw", None),
        ("ecei_gold", 2022),
    ]


def test_words_beside_a_label_stay_as_a_note():
    silver, go_cluster = parse_labels(
        "ECEI Silver (30.11.2017; previously Bronze); Kompetenznetze Deutschland 2009 / go-cluster"
    )
    assert (silver.kind, silver.awarded_on, silver.note) == (
        "ecei_silver",
        datetime.date(2017, 11, 30),
        "previously Bronze",
    )
    assert (go_cluster.kind, go_cluster.awarded_year, go_cluster.note) == (
        "go_cluster",
        None,
        "Kompetenznetze Deutschland 2009",
    )


def test_an_unknown_label_is_an_error():
    with pytest.raises(UnknownLabel, match="unbekanntes Label „Goldene Ananas“"):
        parse_labels("Goldene Ananas")


def test_a_trailing_note_applies_to_every_country():
    partners = parse_international("Österreich;Schweiz;Liechtenstein (Vierländerregion Bodensee)")
    assert [(p.name, p.note) for p in partners] == [
        ("Österreich", "Vierländerregion Bodensee"),
        ("Schweiz", "Vierländerregion Bodensee"),
        ("Liechtenstein", "Vierländerregion Bodensee"),
    ]
