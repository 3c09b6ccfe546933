"""E-mails to the followers of a programme, for `clusterportal send_reminders`
(outbox/reminders.py): each new call once, and each deadline 14 and 3 days before it.

A reminder is due from its day until the next one (the 14-day one until 4 days before
the deadline, the 3-day one until the deadline), so a run missed by cron is caught up the
next day; the outbox sends each once. Who follows when it is sent gets it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterportal.calls.models import Call, Deadline, ProgrammeFollow

DAYS_BEFORE = (14, 3)
NEW_CALL_DAYS = 7  # a call is news this long after it came into the portal


def call_reminders(today: datetime.date) -> Iterator:
    followers = _followers()
    if not followers:
        return
    yield from _new_calls(today, followers)
    yield from _deadlines(today, followers)


def _followers() -> dict[int, tuple[str, ...]]:
    """Programme id -> the e-mail addresses of its followers (active accounts)."""
    found: dict[int, list[str]] = {}
    follows = ProgrammeFollow.objects.filter(user__is_active=True).exclude(user__email="")
    for programme, email in follows.values_list("programme_id", "user__email").order_by("pk"):
        found.setdefault(programme, []).append(email)
    return {programme: tuple(emails) for programme, emails in found.items()}


def _new_calls(today: datetime.date, followers: dict[int, tuple[str, ...]]) -> Iterator:
    from clusterportal.outbox.reminders import Reminder

    since = _start_of(today - datetime.timedelta(days=NEW_CALL_DAYS - 1))
    calls = (
        Call.objects.with_status()
        .exclude(status_now=Call.Status.CLOSED)
        .filter(programme__in=followers, created_at__gte=since, created_at__lt=_start_of(today, 1))
        .select_related("programme")
        .prefetch_related("deadlines")
    )
    for call in calls:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Neuer Aufruf: %(title)s") % {"title": call.title}
            intro = _("Im Programm „%(programme)s“, dem Sie folgen, gibt es einen neuen Aufruf:")
            body = _body(intro, call, call.deadlines.all())
        yield Reminder(
            kind="call_new",
            object_key=f"calls.call:{call.pk}",
            due_on=timezone.localdate(call.created_at),
            recipients=followers[call.programme_id],
            subject=str(subject),
            body=body,
        )


def _deadlines(today: datetime.date, followers: dict[int, tuple[str, ...]]) -> Iterator:
    from clusterportal.outbox.reminders import Reminder

    longest = max(DAYS_BEFORE)
    deadlines = (
        Deadline.objects.filter(
            call__programme__in=followers,
            call__programme__archived=False,
            due_at__gte=max(_start_of(today), timezone.now()),
            due_at__lt=_start_of(today, longest + 1),
        )
        .select_related("call__programme")
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        day = timezone.localdate(deadline.due_at)
        days = (day - today).days
        before = min(d for d in DAYS_BEFORE if d >= days)  # the reminder whose window this is
        call = deadline.call
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                _("Frist heute: %(title)s")
                if days == 0
                else ngettext("Frist morgen: %(title)s", "Frist in %(days)s Tagen: %(title)s", days)
            ) % {"days": days, "title": call.title}
            intro = _("Eine Frist im Programm „%(programme)s“, dem Sie folgen:")
            body = _body(intro, call, [deadline])
        yield Reminder(
            kind=f"call_deadline_{before}d",
            object_key=f"calls.deadline:{deadline.pk}",
            due_on=day - datetime.timedelta(days=before),
            recipients=followers[call.programme_id],
            subject=str(subject),
            body=body,
        )


def _deadline_lines(deadlines) -> list[str]:
    lines = []
    for deadline in deadlines:
        when = timezone.localtime(deadline.due_at)
        label = f" ({deadline.label})" if deadline.label else ""
        lines.append(
            _("Frist: %(when)s Uhr%(label)s") % {"when": f"{when:%d.%m.%Y %H:%M}", "label": label}
        )
    return lines


def _body(intro: str, call: Call, deadlines) -> str:
    """The mail: what it is about, the call, its deadlines and page, how to stop following."""
    unfollow = settings.PORTAL_URL + call.programme.get_absolute_url()
    lines = [
        intro % {"programme": call.programme.name},
        "",
        call.title,
        *_deadline_lines(deadlines),
        settings.PORTAL_URL + call.get_absolute_url(),
        "",
        _("Nicht mehr folgen: auf der Seite des Programms, %(url)s") % {"url": unfollow},
    ]
    return "\n".join(lines)


def _start_of(day: datetime.date, plus_days: int = 0) -> datetime.datetime:
    """Midnight at the start of `day` (+ days), on the portal's clock."""
    moment = datetime.datetime.combine(day + datetime.timedelta(days=plus_days), datetime.time.min)
    return timezone.make_aware(moment)
