"""E-mail about postings: who hears of which step (docs/partnersearch.md).

* submitted, edited (a new text to check): the curators, and the regional contact of the
  posting's initiative;
* published, rejected: the author (a rejection with its reason);
* updated (published again after an edit), renewed, closed: the followers;
* a message of interest: the author, with the sender's address as Reply-To (the sender agreed);
  nobody else sees that address.

The person who took the step gets no mail about it. German with the English below, through
the outbox (settings.EMAIL_BACKEND), after the step's transaction has committed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUBJECTS = {
    "submitted": gettext_lazy("Neue Partnersuche zu prüfen: %(title)s"),
    "edited": gettext_lazy("Geänderte Partnersuche zu prüfen: %(title)s"),
    "published": gettext_lazy("Ihre Partnersuche ist veröffentlicht: %(title)s"),
    "rejected": gettext_lazy("Ihre Partnersuche wurde nicht veröffentlicht: %(title)s"),
    "updated": gettext_lazy("Partnersuche geändert: %(title)s"),
    "renewed": gettext_lazy("Partnersuche verlängert: %(title)s"),
    "closed": gettext_lazy("Partnersuche beendet: %(title)s"),
}
LEADS = {
    "submitted": gettext_lazy(
        "%(poster)s hat eine Partnersuche eingestellt. Bitte prüfen Sie sie."
    ),
    "edited": gettext_lazy(
        "%(poster)s hat die veröffentlichte Partnersuche geändert. Sie ist bis zur Prüfung nicht "
        "öffentlich."
    ),
    "published": gettext_lazy("Ihre Partnersuche ist öffentlich, bis %(expires)s."),
    "rejected": gettext_lazy("Ihre Partnersuche wurde nicht veröffentlicht. Begründung: %(note)s"),
    "updated": gettext_lazy("Eine Partnersuche, der Sie folgen, wurde geändert."),
    "renewed": gettext_lazy("Eine Partnersuche, der Sie folgen, läuft jetzt bis %(expires)s."),
    "closed": gettext_lazy("Eine Partnersuche, der Sie folgen, ist beendet."),
}
TO_STAFF = {"submitted", "edited"}
TO_AUTHOR = {"published", "rejected"}
TO_FOLLOWERS = {"updated", "renewed", "closed"}


def _reviewers(posting) -> list:
    from clusterportal.accounts.models import Role

    active = get_user_model().objects.filter(is_active=True).order_by("email")
    people = list(active.filter(roles__kind=Role.Kind.CURATOR).distinct())
    if posting.initiative_id:
        people += list(
            active.filter(
                roles__kind=Role.Kind.REGIONAL_CONTACT,
                roles__region_id=posting.initiative.region_id,
            ).distinct()
        )
    return people or list(active.filter(is_superuser=True))


def recipients(posting, step: str, actor_id: int | None) -> list[str]:
    people = []
    if step in TO_STAFF:
        people += _reviewers(posting)
    if step in TO_AUTHOR and posting.author is not None:
        people.append(posting.author)
    if step in TO_FOLLOWERS:
        people += [f.user for f in posting.follows.select_related("user").order_by("pk")]
    addresses: dict[str, None] = {}
    for person in people:
        if person.is_active and person.email and person.pk != actor_id:
            addresses.setdefault(person.email.lower(), None)
    return list(addresses)


def _text(posting, step: str) -> tuple[str, str]:
    values = {
        "title": posting.title,
        "poster": posting.poster_name,
        "expires": date_format(posting.expires_on, "DATE_FORMAT"),
        "note": posting.review_note,
    }
    url = settings.PORTAL_URL + posting.get_absolute_url()
    lines = [str(LEADS[step]) % values, "", posting.title, url]
    if step in TO_FOLLOWERS:
        lines += ["", _("Nicht mehr folgen: auf der Seite der Partnersuche.")]
    return str(SUBJECTS[step]) % values, "\n".join(lines)


def _bilingual(make) -> tuple[str, str]:
    with translation.override("de"):
        subject_de, body_de = make()
    with translation.override("en"):
        subject_en, body_en = make()
    return f"{subject_de} / {subject_en}", f"{body_de}\n\n-- English --\n\n{body_en}\n"


def send_later(posting_id: int, step: str, actor_id: int | None) -> int:
    """Send the mails of one step (called after the commit); the number sent."""
    from clusterportal.partnersearch.models import Posting

    posting = Posting.objects.select_related("initiative", "author").get(pk=posting_id)
    subject, body = _bilingual(lambda: _text(posting, step))
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for address in recipients(posting, step, actor_id)
    ]
    return (get_connection().send_messages(messages) or 0) if messages else 0


def _interest_text(interest) -> tuple[str, str]:
    posting = interest.posting
    values = {"name": interest.sender_name, "organisation": interest.sender_organisation,
              "title": posting.title}  # fmt: skip
    lines = [
        _("%(name)s (%(organisation)s) interessiert sich für Ihre Partnersuche „%(title)s“:")
        % values,
        "",
        interest.message,
        "",
        _("Wenn Sie antworten möchten, antworten Sie auf diese E-Mail; sie geht an %(email)s.")
        % {"email": interest.sender.email},
        _("Alle Nachrichten zu Ihren Partnersuchen: %(url)s")
        % {"url": settings.PORTAL_URL + _mine_url()},
    ]
    return _("Interesse an Ihrer Partnersuche: %(title)s") % values, "\n".join(lines)


def _mine_url() -> str:
    from django.urls import reverse

    return reverse("partnersearch:mine")


def send_interest(interest_id: int) -> int:
    from clusterportal.partnersearch.models import Interest

    interest = Interest.objects.select_related("posting__author", "sender").get(pk=interest_id)
    author = interest.posting.author
    if author is None or not author.is_active or not author.email or interest.sender is None:
        return 0
    subject, body = _bilingual(lambda: _interest_text(interest))
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [author.email],
        reply_to=[interest.sender.email],
    )  # fmt: skip
    return get_connection().send_messages([message]) or 0
