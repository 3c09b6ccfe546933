"""E-mails to the owners of postings, for `clusterportal send_reminders` (outbox/reminders.py):

* 14 and 3 days before a public posting expires: renew it or close it;
* 3 and 6 months after a search ended (closed, or expired): what came of it?

Each is due from its day until the next one of its kind, so a day missed by cron is caught up;
the outbox sends each once. An answered question is not asked again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterportal.partnersearch.models import Outcome, Posting
from clusterportal.partnersearch.outcomes import add_months, asked_on

DAYS_BEFORE_EXPIRY = (14, 3)
# Ended this long ago at most: older searches are not asked any more.
LONGEST_ASKED_MONTHS = 7


def posting_reminders(today: datetime.date) -> Iterator:
    yield from _expiry(today)
    yield from _outcome_questions(today)


def _owner(posting: Posting) -> tuple[str, ...]:
    author = posting.author
    return (author.email,) if author and author.is_active and author.email else ()


def _expiry(today: datetime.date) -> Iterator:
    from clusterportal.outbox.reminders import Reminder

    longest = max(DAYS_BEFORE_EXPIRY)
    postings = Posting.objects.filter(
        status=Posting.Status.PUBLISHED,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=longest),
    ).select_related("author")
    for posting in postings.order_by("expires_on", "pk"):
        days = (posting.expires_on - today).days
        before = min(d for d in DAYS_BEFORE_EXPIRY if d >= days)
        url = settings.PORTAL_URL + posting.get_absolute_url()
        with translation.override(settings.LANGUAGE_CODE):
            subject = ngettext(
                "Ihre Partnersuche läuft morgen ab: %(title)s",
                "Ihre Partnersuche läuft in %(days)s Tagen ab: %(title)s",
                days,
            ) % {"days": days, "title": posting.title}
            body = "\n".join([
                _("Ihre Partnersuche „%(title)s“ ist bis %(date)s öffentlich.")
                % {"title": posting.title, "date": posting.expires_on.strftime("%d.%m.%Y")},
                _("Wenn Sie weiter suchen, verlängern Sie sie; wenn Sie gefunden haben, "
                  "schließen Sie sie: %(url)s") % {"url": url},
            ])  # fmt: skip
        yield Reminder(
            kind=f"posting_expiry_{before}d",
            object_key=f"partnersearch.posting:{posting.pk}",
            due_on=posting.expires_on - datetime.timedelta(days=before),
            recipients=_owner(posting),
            subject=str(subject),
            body=body,
        )


def _outcome_questions(today: datetime.date) -> Iterator:
    from clusterportal.outbox.reminders import Reminder

    earliest_end = add_months(today, -LONGEST_ASKED_MONTHS)
    ended = (
        Posting.objects.filter(status__in=[Posting.Status.CLOSED, Posting.Status.PUBLISHED])
        .exclude(status=Posting.Status.PUBLISHED, expires_on__gte=today)
        .filter(expires_on__gte=earliest_end - datetime.timedelta(days=1))
        .select_related("author")
        .prefetch_related("outcomes")
        .order_by("pk")
    )
    mine = settings.PORTAL_URL + reverse("partnersearch:mine")
    for posting in ended:
        answered = {o.months_after for o in posting.outcomes.all()}
        for months in Outcome.Asked.values:
            due = asked_on(posting, months)
            later = asked_on(posting, months + 3)
            if due is None or months in answered or not (due <= today < later):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Was ist aus Ihrer Partnersuche geworden? %(title)s") % {
                    "title": posting.title}  # fmt: skip
                body = "\n".join([
                    _("Ihre Partnersuche „%(title)s“ endete vor %(months)s Monaten. Was ist daraus "
                      "geworden: kein Kontakt, Gespräche, ein Projekt oder eine Vereinbarung?")
                    % {"title": posting.title, "months": months},
                    _("Eine Antwort mit einem Klick: %(url)s") % {"url": mine},
                ])  # fmt: skip
            yield Reminder(
                kind=f"posting_outcome_{months}m",
                object_key=f"partnersearch.posting:{posting.pk}",
                due_on=due,
                recipients=_owner(posting),
                subject=str(subject),
                body=body,
            )
