"""The reminder before an event, for `clusterportal send_reminders` (outbox/reminders.py):
each confirmed participant once, from two days before the start until the start."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusterportal.events.models import Registration

DAYS_BEFORE = 2


def event_reminders(today: datetime.date):
    from clusterportal.outbox.reminders import Reminder

    # The window in days, on the portal's calendar: today up to DAYS_BEFORE days ahead.
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    until = start + datetime.timedelta(days=DAYS_BEFORE + 1)
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        event__status="published",
        event__starts_at__gte=max(start, timezone.now() - datetime.timedelta(hours=1)),
        event__starts_at__lt=until,
    ).select_related("event")
    for registration in due:
        event = registration.event
        day = timezone.localdate(event.starts_at)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Erinnerung: %(title)s am %(day)s") % {
                "title": event.title, "day": f"{day:%d.%m.%Y}",
            }  # fmt: skip
            body = "\n".join([
                _("Guten Tag %(name)s,") % {"name": registration.name}, "",
                _("Sie sind für „%(title)s“ am %(day)s angemeldet.") % {
                    "title": event.title, "day": f"{day:%d.%m.%Y}",
                },
                settings.PORTAL_URL + event.get_absolute_url(), "",
                _("Falls Sie nicht teilnehmen können, melden Sie sich bitte ab: %(url)s")
                % {"url": registration.withdraw_url()},
            ])  # fmt: skip
        yield Reminder(
            kind="event_reminder",
            object_key=f"events.registration:{registration.pk}",
            due_on=day - datetime.timedelta(days=DAYS_BEFORE),
            recipients=(registration.email,),
            subject=str(subject),
            body=body,
        )
