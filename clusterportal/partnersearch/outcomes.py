"""What came of the searches: the owner is asked 3 and 6 months after a search ended (closed,
or past its expiry date), by e-mail (reminders.py) and on their page of own postings; the
curators see the answers (docs/partnersearch.md)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from clusterportal.partnersearch.forms import OutcomeForm
from clusterportal.partnersearch.models import Outcome, Posting, ended_on


@dataclass(frozen=True)
class Question:
    posting: Posting
    months: int
    asked_on: datetime.date
    form: OutcomeForm


def asked_on(posting: Posting, months: int) -> datetime.date | None:
    """The day the question `months` after the end becomes due (None: not ended)."""
    ended = ended_on(posting)
    return None if ended is None else add_months(ended, months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day where it has fewer (31.08. + 6 =
    28./29.02.)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_questions(postings, today: datetime.date | None = None) -> list[Question]:
    """The open questions of these postings (prefetched `outcomes`), oldest first."""
    today = today or timezone.localdate()
    questions = []
    for posting in postings:
        answered = {outcome.months_after for outcome in posting.outcomes.all()}
        for months in Outcome.Asked.values:
            due = asked_on(posting, months)
            if due is not None and due <= today and months not in answered:
                form = OutcomeForm(prefix=f"o{posting.pk}-{months}")
                questions.append(Question(posting, months, due, form))
    return sorted(questions, key=lambda q: (q.asked_on, q.posting.pk))


def outcome_table() -> dict:
    """The answers by time and result, and every answer with its posting (newest first)."""
    counts = {
        (row["months_after"], row["result"]): row["n"]
        for row in Outcome.objects.values("months_after", "result").annotate(n=Count("pk"))
    }
    rows = [
        {"months": months, "label": label,
         "results": [(result_label, counts.get((months, result), 0))
                     for result, result_label in Outcome.Result.choices],
         "total": sum(counts.get((months, r), 0) for r in Outcome.Result.values)}
        for months, label in Outcome.Asked.choices
    ]  # fmt: skip
    answers = Outcome.objects.select_related("posting__initiative").order_by("-answered_at", "-pk")
    ended = Posting.objects.filter(status=Posting.Status.CLOSED).count()
    return {"rows": rows, "answers": list(answers[:200]), "closed_count": ended,
            "result_labels": [label for _, label in Outcome.Result.choices]}  # fmt: skip
