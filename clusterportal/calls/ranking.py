"""The ranking board of a call: the submitted reviews of each application, summed up.

A review's score is the weighted mean of its criteria's points (0–5), criteria marked
"n/a" left out of both sums; it is computed once, when the juror submits
(`review_score`), and kept on the review. Per application the board shows the mean and the
median of its reviews' scores, their number, the mean per criterion, the recommendations,
and a flag where the jurors disagree widely: the highest and the lowest review score lie
`DISAGREEMENT` points (of 5) or more apart.

Drafts of reviews do not count. Reads: three queries for the whole call, whatever its size.
"""

from __future__ import annotations

import decimal
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from clusterportal.calls.application_models import Application, Criterion, Review, Score
from clusterportal.lib.tables import write_xlsx

DISAGREEMENT = 2
PLACES = decimal.Decimal("0.0001")


def review_score(scores: list[tuple[decimal.Decimal, int | None]]) -> decimal.Decimal | None:
    """The weighted mean of (weight, points) pairs, n/a (None) left out; None if all are."""
    rated = [(weight, points) for weight, points in scores if points is not None]
    total_weight = sum((weight for weight, _points in rated), decimal.Decimal(0))
    if not total_weight:
        return None
    weighted = sum((weight * points for weight, points in rated), decimal.Decimal(0))
    return (weighted / total_weight).quantize(PLACES, rounding=decimal.ROUND_HALF_EVEN)


@dataclass
class BoardRow:
    application: Application
    scores: list[float] = field(default_factory=list)
    criterion_means: dict[int, float] = field(default_factory=dict)
    recommendations: Counter = field(default_factory=Counter)

    @property
    def reviews(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def spread(self) -> float | None:
        return max(self.scores) - min(self.scores) if self.scores else None

    @property
    def disagree(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT

    def criterion_mean(self, criterion_id: int) -> float | None:
        return self.criterion_means.get(criterion_id)


SORTS = {
    "mean": lambda row: (row.mean is None, -(row.mean or 0), row.application.initiative.name),
    "median": lambda row: (
        row.median is None,
        -(row.median or 0),
        row.application.initiative.name,
    ),  # fmt: skip
    "reviews": lambda row: (-row.reviews, row.application.initiative.name),
    "spread": lambda row: (
        row.spread is None,
        -(row.spread or 0),
        row.application.initiative.name,
    ),  # fmt: skip
    "name": lambda row: row.application.initiative.name.casefold(),
}


def board(call, sort: str = "mean") -> tuple[list[Criterion], list[BoardRow]]:
    """The criteria and one row per application that counts (not a draft, not withdrawn)."""
    criteria = list(Criterion.objects.filter(call=call))
    # Only the columns the board shows: the answers and the initiatives' JSON fields would
    # be decoded for nothing (they took most of the time at 500 applications).
    applications = (
        Application.objects.active().filter(call=call)
        .select_related("initiative__region")
        .only("status", "decision", "decision_sent_at", "call_id", "initiative__name",
              "initiative__slug", "initiative__region__name")
        .order_by("pk")
    )  # fmt: skip
    rows = {application.pk: BoardRow(application) for application in applications}
    submitted = Review.objects.filter(
        assignment__application__call=call, submitted_at__isnull=False
    ).values_list("assignment__application_id", "weighted_score", "recommendation")
    for application_id, score, recommendation in submitted:
        row = rows.get(application_id)
        if row is None:
            continue
        if score is not None:
            row.scores.append(float(score))
        if recommendation:
            row.recommendations[recommendation] += 1
    # The mean per criterion, summed in the database: one row per application and criterion.
    means = (
        Score.objects.filter(review__assignment__application__call=call,
                             review__submitted_at__isnull=False, value__isnull=False)
        .values_list("review__assignment__application_id", "criterion_id")
        .annotate(mean=Avg("value")).order_by()
    )  # fmt: skip
    for application_id, criterion_id, mean in means:
        if application_id in rows:
            rows[application_id].criterion_means[criterion_id] = float(mean)
    ordered = sorted(rows.values(), key=SORTS[sort])
    return criteria, ordered


def board_xlsx(call, criteria: list[Criterion], rows: list[BoardRow]) -> bytes:
    """The board as a workbook for the jury meeting, in the board's order."""
    header = [
        _("Rang"), _("Initiative"), _("Region"), _("Stand"), _("Gutachten"),
        _("gewichtetes Mittel"), _("Median"), _("Spannweite"), _("Jury uneinig"),
        *(f"{criterion.name} ({criterion.weight})" for criterion in criteria),
        _("Empfehlungen"), _("Entscheidung"),
    ]  # fmt: skip
    recommendation_names = dict(Review.Recommendation.choices)

    def cells(rank: int, row: BoardRow) -> list:
        application = row.application
        region = application.initiative.region
        return [
            rank, application.initiative.name, region.name if region else "",
            application.get_status_display(), row.reviews, _rounded(row.mean),
            _rounded(row.median), _rounded(row.spread), _("ja") if row.disagree else "",
            *(_rounded(row.criterion_mean(criterion.pk)) for criterion in criteria),
            ", ".join(f"{recommendation_names[key]}: {count}"
                      for key, count in sorted(row.recommendations.items())),
            application.get_decision_display() if application.decision else "",
        ]  # fmt: skip

    body = (cells(rank, row) for rank, row in enumerate(rows, start=1))
    return write_xlsx(header, body, _("Rangliste")[:31])


@dataclass
class ShownRow:
    """A board row as the page shows it: texts made here, so that the template only prints
    them (500 rows of links and numbers cost 0.3 s through the template's filters and tags)."""

    url: str
    name: str
    region: str
    mean: str
    median: str
    spread: str
    reviews: int
    disagree: bool
    agreement: str
    criterion_means: list[str]
    decision: str


def _shown(row: BoardRow, criteria, number, url: str) -> ShownRow:
    application = row.application
    region = application.initiative.region
    return ShownRow(
        url=f"{url}{application.pk}/", name=application.initiative.name,
        region=region.name if region else "", mean=number(row.mean),
        median=number(row.median), spread=number(row.spread), reviews=row.reviews,
        disagree=row.disagree, agreement=_agreement(row, number), criterion_means=[number(row.criterion_mean(c.pk)) for c in criteria],
        decision=application.get_decision_display() if application.decision else "–",
    )  # fmt: skip


def _agreement(row: BoardRow, number) -> str:
    if row.disagree:
        return _("uneinig (Spannweite %(spread)s)") % {"spread": number(row.spread)}
    return _("einig") if row.reviews else "–"


def _formatter():
    """Two decimals with the active language's decimal separator; a dash for no value."""
    separator = get_format("DECIMAL_SEPARATOR")

    def number(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}".replace(".", separator)

    return number


def _rounded(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def board_table(call, sort: str = "mean") -> dict[str, object]:
    """What the board page needs."""
    criteria, rows = board(call, sort)
    number = _formatter()
    url = reverse("calls:application", args=[0]).removesuffix("0/")
    return {
        "criteria": criteria, "sort": sort,
        # Numbers formatted here, not by the template's floatformat: 500 rows of eight
        # numbers took 0.3 s through the template filters.
        "rows": [_shown(row, criteria, number, url) for row in rows],
        "disagreement": DISAGREEMENT,
        "sort_links": [("mean", _("Mittel")), ("median", _("Median")),
                       ("reviews", _("Zahl der Gutachten")), ("spread", _("Uneinigkeit")),
                       ("name", _("Name"))],
    }  # fmt: skip
