"""Labels running out: the curators' dashboard and the reminders to cluster managers.

Both read `valid_until`, which the one validity rule (Label.term_end) keeps, and both
leave out labels already renewed by a later label of the same scheme
(LabelQuerySet.current). docs/labels.md.

* `dashboard(today)`: labels ending in the next 12 months or ended in the last 3,
  with the days left and the reminders sent (a fixed number of queries).
* `expiry_reminders(today)`: the reminder source for `clusterportal send_reminders`
  (settings.REMINDER_SOURCES): the managers of the initiative are reminded 6 and
  3 months before the end, each once. Where both dates have passed (a label
  entered late, a missed run) only the later reminder goes out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterportal.lib.dates import add_months
from clusterportal.outbox.models import SentReminder
from clusterportal.outbox.reminders import Reminder
from clusterportal.registry.models import ClusterInitiative, Label

# Months before the end of validity at which the managers are reminded, earliest first.
REMINDER_MONTHS = (6, 3)
DASHBOARD_AHEAD_MONTHS = 12
DASHBOARD_BEHIND_MONTHS = 3


def reminder_kind(months: int) -> str:
    return f"label_expiry_{months}m"


def object_key(label: Label) -> str:
    return f"registry.label:{label.pk}"


def due_dates(valid_until: datetime.date) -> dict[int, datetime.date]:
    """months -> the day that reminder is due, for a label valid until `valid_until`."""
    return {months: add_months(valid_until, -months) for months in REMINDER_MONTHS}


# --- the dashboard -------------------------------------------------------------------


@dataclass
class ExpiringLabel:
    label: Label
    days_left: int
    managers: int
    # months -> when that reminder was sent (missing: not sent)
    reminders: dict[int, datetime.datetime] = field(default_factory=dict)

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def days_ago(self) -> int:
        return -self.days_left

    def reminder_rows(self) -> list[tuple[int, datetime.date, datetime.datetime | None]]:
        """(months, due on, sent at or None) for each reminder of the label."""
        dates = due_dates(self.label.valid_until)
        return [(months, dates[months], self.reminders.get(months)) for months in REMINDER_MONTHS]


def dashboard(today: datetime.date) -> list[ExpiringLabel]:
    """Labels ending from 3 months ago to 12 months ahead, soonest first (2 queries)."""
    first = add_months(today, -DASHBOARD_BEHIND_MONTHS)
    last = add_months(today, DASHBOARD_AHEAD_MONTHS)
    labels = list(
        Label.objects.expiring_between(first, last)
        .select_related("initiative")
        .only(
            "kind",
            "valid_until",
            "awarded_on",
            "awarded_year",
            "assessor",
            "score",
            "certificate_url",
            "initiative__name",
            "initiative__slug",
            "initiative__status",
        )
        .annotate(
            managers=Count(
                "initiative__manager_roles",
                filter=Q(initiative__manager_roles__user__is_active=True),
                distinct=True,
            )
        )
    )
    by_key = {object_key(label): label for label in labels}
    kinds = {reminder_kind(months): months for months in REMINDER_MONTHS}
    sent: dict[int, dict[int, datetime.datetime]] = {}
    for row in SentReminder.objects.filter(kind__in=kinds, object_key__in=by_key):
        label = by_key[row.object_key]
        if row.due_on == due_dates(label.valid_until)[kinds[row.kind]]:
            sent.setdefault(label.pk, {})[kinds[row.kind]] = row.sent_at
    return [
        ExpiringLabel(
            label=label,
            days_left=label.days_left(today),
            managers=label.managers,
            reminders=sent.get(label.pk, {}),
        )
        for label in labels
    ]


# --- the reminder source -------------------------------------------------------------


def expiry_reminders(today: datetime.date) -> Iterator[Reminder]:
    """The label reminders due on `today` for send_reminders (outbox/reminders.py)."""
    horizon = add_months(today, max(REMINDER_MONTHS))
    managers = (
        ClusterInitiative._meta.get_field("manager_roles")
        .related_model.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    )
    labels = (
        Label.objects.expiring_between(today, horizon)
        .select_related("initiative")
        .prefetch_related(Prefetch("initiative__manager_roles", queryset=managers))
    )
    for label in labels:
        months = _latest_due(label.valid_until, today)
        if months is None:
            continue
        roles = label.initiative.manager_roles.all()
        recipients = tuple(dict.fromkeys(role.user.email for role in roles))
        subject, body = _message(label, months)
        yield Reminder(
            kind=reminder_kind(months),
            object_key=object_key(label),
            due_on=due_dates(label.valid_until)[months],
            recipients=recipients,
            subject=subject,
            body=body,
            skip_reason="no cluster manager",
        )


def _latest_due(valid_until: datetime.date, today: datetime.date) -> int | None:
    """The reminder due on `today`: the latest whose date has come, None before the first."""
    due = [months for months, day in due_dates(valid_until).items() if day <= today <= valid_until]
    return min(due) if due else None


def _message(label: Label, months: int) -> tuple[str, str]:
    """Subject and text, in the portal's default language (the managers' own is not known)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "label": label,
            "kind": label.get_kind_display(),
            "initiative": label.initiative,
            "months": months,
            "fixed_term": label.kind in Label.TERM_YEARS,
            "profile_url": settings.PORTAL_URL + label.initiative.get_absolute_url(),
            "portal_name": settings.PORTAL_NAME,
        }
        subject = _("Ihr Label „%(kind)s“ ist noch bis %(date)s gültig") % {
            "kind": context["kind"],
            "date": date_format(label.valid_until, "SHORT_DATE_FORMAT"),
        }
        body = render_to_string("registry/mail/label_expiry.txt", context)
    return subject, body
