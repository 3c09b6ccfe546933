"""What the country pages and the API show, read once per request: the export series of a
country, the ranking of countries with the partnerships there, the initiatives (with the
partner region and the source of each partnership), the calls and the events concerning it.

Share = the country's value ÷ the sum of all partner rows of that year (also the rows that
name no country: "Vertrauliche Länder", ship supplies, ...), as the source's total does.
Growth year on year = value ÷ previous value − 1; over the span = last ÷ first − 1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from clusterportal.calls.models import Call
from clusterportal.events.models import Event
from clusterportal.international.country_names import country_name, iso_code
from clusterportal.international.models import ExportValue
from clusterportal.partnersearch.models import Posting
from clusterportal.registry.models import ClusterInitiative, InternationalPartnership

SOURCE = "Statistisches Bundesamt (Destatis), GENESIS-Online, Tabelle 51000-0032"
SOURCE_URL = "https://www-genesis.destatis.de/datenbank/online/statistic/51000/table/51000-0032"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
ATTRIBUTION = "© Statistisches Bundesamt (Destatis), 2026"


def _ratio(part: int, whole: int, places: str) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass
class YearValue:
    year: int
    value_teur: int | None
    status: str
    share_percent: Decimal | None  # 2 places
    growth_percent: Decimal | None  # against the year before, 1 place

    @property
    def billion_eur(self) -> Decimal | None:
        if self.value_teur is None:
            return None
        return _ratio(self.value_teur, 1_000_000, "0.01")


@dataclass
class Partnership:
    initiative: ClusterInitiative
    partner_region: str
    note: str
    # Where the partnership is named; empty for the research table's partnerships, whose
    # sources are the initiative's profile sources.
    source_name: str = ""
    source_url: str = ""


@dataclass
class CountryPage:
    code: str
    name: str
    series: list[YearValue]
    partnerships: list[Partnership] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)

    @property
    def span_growth_percent(self) -> Decimal | None:
        known = [row for row in self.series if row.value_teur]
        if len(known) < 2:
            return None
        first, last = known[0], known[-1]
        assert first.value_teur and last.value_teur is not None
        return _ratio((last.value_teur - first.value_teur) * 100, first.value_teur, "0.1")

    @property
    def span(self) -> tuple[int, int] | None:
        known = [row.year for row in self.series if row.value_teur]
        return (known[0], known[-1]) if len(known) >= 2 else None

    @property
    def initiatives(self) -> list[ClusterInitiative]:
        seen: dict[int, ClusterInitiative] = {}
        for item in self.partnerships:
            seen.setdefault(item.initiative.pk, item.initiative)
        return list(seen.values())


def series_of(code: str, totals: dict[int, int]) -> list[YearValue]:
    series, previous = [], None
    for row in ExportValue.objects.of_country(code):
        share = growth = None
        if row.value_teur is not None and totals.get(row.year):
            share = _ratio(row.value_teur * 100, totals[row.year], "0.01")
        if row.value_teur is not None and previous:
            growth = _ratio((row.value_teur - previous) * 100, previous, "0.1")
        series.append(YearValue(row.year, row.value_teur, row.value_status, share, growth))
        previous = row.value_teur
    return series


def partnerships_by_country() -> tuple[
    dict[str, list[Partnership]], list[InternationalPartnership]
]:
    """The published initiatives' partnerships by country code, and those naming no country."""
    by_code: dict[str, list[Partnership]] = defaultdict(list)
    unmapped = []
    rows = (
        InternationalPartnership.objects.filter(
            initiative__in=ClusterInitiative.objects.published()
        )
        .select_related("initiative")
        .order_by("initiative__name", "pk")
    )
    for row in rows:
        code = iso_code(row.country)
        if code:
            by_code[code].append(
                Partnership(
                    row.initiative, row.partner_region, row.note, row.source_name, row.source_url
                )
            )
        else:
            unmapped.append(row)
    return by_code, unmapped


def country_page(code: str) -> CountryPage | None:
    """The page of a country code, or None if the code is not a country with exports,
    partnerships or events."""
    code = code.upper()
    totals = ExportValue.objects.totals_by_year()
    series = series_of(code, totals)
    partnerships = partnerships_by_country()[0].get(code, [])
    events = events_concerning(code)
    postings = postings_concerning(code)
    if not series and not partnerships and not events and not postings:
        return None
    calls = list(Call.objects.filter(countries__contains=code).select_related("programme"))
    # A multiple CountryField is a comma-separated text: check the match is a whole code.
    calls = [call for call in calls if code in call.countries]
    return CountryPage(code, country_name(code), series, partnerships, calls, events, postings)


def events_concerning(code: str) -> list[Event]:
    """The published events whose `countries` name the code, latest first. One query."""
    events = Event.objects.published().filter(countries__contains=code).order_by("-starts_at")
    # As with the calls: the field is a comma-separated text, so "US" must be a whole code.
    return [event for event in events if code in event.countries]


@dataclass
class RankRow:
    rank: int
    code: str
    name: str
    value_teur: int
    status: str
    share_percent: Decimal
    initiatives: int

    @property
    def billion_eur(self) -> Decimal:
        return _ratio(self.value_teur, 1_000_000, "0.01")


@dataclass
class Ranking:
    year: int | None
    rows: list[RankRow]
    total_teur: int
    partner_codes: dict[str, int]  # code -> initiatives with a partnership there
    unmapped_partnerships: list[InternationalPartnership]


def ranking(year: int | None = None) -> Ranking:
    """The countries by BW exports in a year (the latest by default), with the number of
    initiatives with a partnership there. Three queries."""
    totals = ExportValue.objects.totals_by_year()
    year = year or (max(totals) if totals else None)
    by_code, unmapped = partnerships_by_country()
    counts = {code: len({p.initiative.pk for p in items}) for code, items in by_code.items()}
    rows: list[RankRow] = []
    total = totals.get(year, 0) if year else 0
    values = (
        ExportValue.objects.filter(year=year)
        .exclude(country="")
        .exclude(value_teur=None)
        .order_by("-value_teur", "country")
    )
    for index, row in enumerate(values, start=1):
        assert row.value_teur is not None
        rows.append(
            RankRow(
                index, row.country, country_name(row.country), row.value_teur, row.value_status,
                _ratio(row.value_teur * 100, total, "0.01") if total else Decimal(0),
                counts.get(row.country, 0),
            )
        )  # fmt: skip
    return Ranking(year, rows, total, counts, unmapped)


def postings_concerning(code: str) -> list[Posting]:
    """The public partner-search postings that seek partners in the country, newest first."""
    postings = (
        Posting.objects.public()
        .filter(countries_sought__contains=code)
        .select_related("initiative")
        .order_by("-published_at", "-pk")
    )
    # A multiple CountryField is a comma-separated text: "US" must be a whole code.
    return [posting for posting in postings if code in posting.countries_sought]
