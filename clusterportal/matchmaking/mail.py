"""Mail to the other side of a meeting request (the project's outbox stores it inside the
caller's transaction: a refused step sends nothing). The message is sent as plain text:
whatever markup it holds reaches nobody's browser as HTML."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from clusterportal.lib.markup import plain_text
from clusterportal.matchmaking.models import MeetingRequest


def _slot(request: MeetingRequest) -> str:
    if request.slot is None:
        return _("ohne festen Termin")
    start = timezone.localtime(request.slot.starts_at)
    return f"{start:%d.%m.%Y, %H:%M} Uhr"


def _agenda_url(request: MeetingRequest) -> str:
    return settings.PORTAL_URL + reverse(
        "matchmaking:agenda", args=[request.matchmaking.event.slug]
    )


def request_sent(request: MeetingRequest) -> EmailMessage:
    """To the person asked: who asks, for when, the message, and where to answer."""
    event = request.matchmaking.event
    with override("de"):
        subject = _("Gesprächsanfrage: %(title)s") % {"title": event.title}
        lines = [
            _("Guten Tag %(name)s,") % {"name": request.recipient.name}, "",
            _("%(sender)s (%(organisation)s) möchte Sie bei „%(title)s“ treffen: %(slot)s.") % {
                "sender": request.sender.name, "organisation": request.sender.organisation,
                "title": event.title, "slot": _slot(request),
            },
        ]  # fmt: skip
        message = plain_text(request.message)
        if message:
            lines += ["", message]
        deadline = timezone.localtime(request.expires_at)
        lines += [
            "",
            _("Bitte antworten Sie bis %(deadline)s: %(url)s") % {
                "deadline": f"{deadline:%d.%m.%Y, %H:%M} Uhr", "url": _agenda_url(request),
            },
        ]  # fmt: skip
    return EmailMessage(subject, "\n".join(lines), to=[request.recipient.user.email])


def request_answered(request: MeetingRequest) -> EmailMessage:
    """To the person who asked: accepted (with the slot) or declined."""
    event = request.matchmaking.event
    meeting = getattr(request, "meeting", None)
    with override("de"):
        if request.status == MeetingRequest.Status.ACCEPTED:
            subject = _("Gespräch angenommen: %(title)s") % {"title": event.title}
            if meeting is not None:
                start = timezone.localtime(meeting.slot.starts_at)
                lead = _("%(name)s hat Ihre Anfrage angenommen. Termin: %(slot)s.") % {
                    "name": request.recipient.name, "slot": f"{start:%d.%m.%Y, %H:%M} Uhr",
                }  # fmt: skip
            else:
                lead = _(
                    "%(name)s hat Ihre Anfrage angenommen; den Termin setzen die Veranstalter."
                ) % {"name": request.recipient.name}
        else:
            subject = _("Gespräch abgelehnt: %(title)s") % {"title": event.title}
            lead = _("%(name)s hat Ihre Anfrage abgelehnt.") % {"name": request.recipient.name}
        lines = [
            _("Guten Tag %(name)s,") % {"name": request.sender.name}, "", lead, "",
            _("Ihre Gespräche: %(url)s") % {"url": _agenda_url(request)},
        ]  # fmt: skip
    return EmailMessage(subject, "\n".join(lines), to=[request.sender.user.email])
