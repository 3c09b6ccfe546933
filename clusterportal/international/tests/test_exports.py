"""The export figures against values checked by hand in the CSV (data/international/).

China 2011: 13,341,130 Tsd. EUR; the sum of all 262 partner rows of 2011 is
171,909,725 Tsd. EUR; 13,341,130 / 171,909,725 = 7.7605 % (the ministry's text: 7.7 %).
China 2010: 11,079,483; growth 2011 = 2,261,647 / 11,079,483 = 20.41 %.
China 2025 (provisional): 13,358,040; growth 2010–2025 = 2,278,557 / 11,079,483 = 20.57 %.
USA 2022: 39,372,808 (final) of 266,034,838 = 14.80 %.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from clusterportal.international import figures
from clusterportal.international.country_names import UNMAPPED, iso_code
from clusterportal.international.loading import load_exports
from clusterportal.international.models import ExportValue

pytestmark = pytest.mark.django_db

HEADER = "year,bundesland,partner_country_de,export_weight_t,weight_status,export_value_teur,value_status\n"


def year_of(page, year):
    return next(row for row in page.series if row.year == year)


def test_china_2011_is_13_3_billion_and_7_8_percent_of_all_bw_exports():
    page = figures.country_page("CN")
    row = year_of(page, 2011)
    assert row.value_teur == 13_341_130
    assert row.billion_eur == Decimal("13.34")
    assert row.share_percent == Decimal("7.76")
    assert row.status == "e"
    assert ExportValue.objects.totals_by_year()[2011] == 171_909_725


def test_china_growth_year_on_year_and_over_the_whole_span():
    page = figures.country_page("CN")
    assert year_of(page, 2011).growth_percent == Decimal("20.4")
    assert year_of(page, 2025).status == "p"
    assert page.span == (2010, 2025)
    assert page.span_growth_percent == Decimal("20.6")


def test_usa_2022_is_39_37_billion_final():
    row = year_of(figures.country_page("US"), 2022)
    assert row.value_teur == 39_372_808
    assert row.billion_eur == Decimal("39.37")
    assert row.share_percent == Decimal("14.80")
    assert ExportValue.objects.totals_by_year()[2022] == 266_034_838


def test_every_label_maps_or_is_in_the_documented_list():
    labels = set(ExportValue.objects.values_list("label", flat=True))
    unmapped = {label for label in labels if iso_code(label) is None}
    assert unmapped <= set(UNMAPPED)
    assert len(unmapped) == 22
    assert ExportValue.objects.filter(country="").values("label").distinct().count() == 22


def test_genesis_names_that_differ_from_the_library_map_through_the_overrides():
    assert iso_code("Republik Korea") == "KR"
    assert iso_code("Russische Föderation (ab 05/1992)") == "RU"
    assert iso_code("Belgien (ab 1999)") == "BE"
    assert iso_code("Vereinigte Staaten von Amerika") == "US"
    assert iso_code("USA") == "US"
    assert iso_code("Vertrauliche Länder") is None


def test_loading_twice_changes_nothing(settings):
    report = load_exports(settings.DATA_DIR)
    assert (report.created, report.updated, report.rejected) == (0, 0, [])
    assert report.unchanged == 4192
    assert "Vertrauliche Länder" in report.unmapped


@pytest.mark.parametrize(
    "line, reason",
    [
        ("2011,Bayern,China,1,e,5,e", "Land 'Bayern' is not Baden-Württemberg"),
        ("2031,Baden-Württemberg,China,1,e,5,e", "year 2031 is outside 2010–2025"),
        ("2011,Baden-Württemberg,China,1,e,-5,e", "value '-5' is not a whole number"),
        ("2011,Baden-Württemberg,China,1,e,5,", "must both be given or both be empty"),
        ("2011,Baden-Württemberg,China,1,e,5,x", "status 'x' is not one of"),
        ("2011,Baden-Württemberg,,1,e,5,e", "the partner country is empty"),
    ],
)
def test_a_bad_row_is_named_with_its_line_and_nothing_changes(tmp_path, line, reason):
    (tmp_path / "international").mkdir()
    good = "2011,Baden-Württemberg,China,1,e,999,e\n"
    Path(tmp_path / "international/bw_exports_by_partner_country_2010_2025.csv").write_text(
        HEADER + good + line + "\n", encoding="utf-8"
    )
    before = ExportValue.objects.get(label="China", year=2011).value_teur
    report = load_exports(tmp_path)
    assert len(report.rejected) == 1
    assert report.rejected[0].startswith("line 3: ")
    assert reason in report.rejected[0]
    assert ExportValue.objects.get(label="China", year=2011).value_teur == before
    assert ExportValue.objects.count() == 4192


def test_a_row_given_twice_is_refused(tmp_path):
    (tmp_path / "international").mkdir()
    row = "2011,Baden-Württemberg,China,1,e,999,e\n"
    (tmp_path / "international/bw_exports_by_partner_country_2010_2025.csv").write_text(
        HEADER + row + row, encoding="utf-8"
    )
    assert load_exports(tmp_path).rejected == ["line 3: 'China' 2011 is given twice"]
