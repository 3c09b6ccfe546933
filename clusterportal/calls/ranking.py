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
    criterion_points: dict[int, list[int]] = field(default_factory=dict)
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
        points = self.criterion_points.get(criterion_id)
        return statistics.fmean(points) if points else None


SORTS = {
    "mean": lambda row: (row.mean is None, -(row.mean or 0), row.application.initiative.name),
    "median": lambda row: (row.median is None, -(row.median or 0),
                           row.application.initiative.name),  # fmt: skip
    "reviews": lambda row: (-row.reviews, row.application.initiative.name),
    "spread": lambda row: (row.spread is None, -(row.spread or 0),
                           row.application.initiative.name),  # fmt: skip
    "name": lambda row: row.application.initiative.name.casefold(),
}


def board(call, sort: str = "mean") -> tuple[list[Criterion], list[BoardRow]]:
    """The criteria and one row per application that counts (not a draft, not withdrawn)."""
    criteria = list(Criterion.objects.filter(call=call))
    applications = (
        Application.objects.active().filter(call=call)
        .select_related("initiative__region").order_by("pk")
    )  # fmt: skip
    rows = {application.pk: BoardRow(application) for application in applications}
    submitted = Review.objects.filter(
        assignment__application__call=call, submitted_at__isnull=False
    ).values_list("pk", "assignment__application_id", "weighted_score", "recommendation")
    review_application = {}
    for review_id, application_id, score, recommendation in submitted:
        row = rows.get(application_id)
        if row is None:
            continue
        review_application[review_id] = row
        if score is not None:
            row.scores.append(float(score))
        if recommendation:
            row.recommendations[recommendation] += 1
    points = Score.objects.filter(
        review__in=list(review_application), value__isnull=False
    ).values_list("review_id", "criterion_id", "value")
    for review_id, criterion_id, value in points:
        review_application[review_id].criterion_points.setdefault(criterion_id, []).append(value)
    ordered = sorted(rows.values(), key=SORTS.get(sort, SORTS["mean"]))
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


def _rounded(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def board_table(call, sort: str = "mean") -> dict[str, object]:
    """What the board page needs."""
    criteria, rows = board(call, sort)
    return {
        "criteria": criteria, "sort": sort if sort in SORTS else "mean",
        "rows": [(row, [row.criterion_mean(c.pk) for c in criteria]) for row in rows],
        "disagreement": DISAGREEMENT,
        "sort_links": [("mean", _("Mittel")), ("median", _("Median")),
                       ("reviews", _("Zahl der Gutachten")), ("spread", _("Uneinigkeit")),
                       ("name", _("Name"))],
    }  # fmt: skip
