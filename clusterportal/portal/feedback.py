"""Feedback on the accessibility statement: stored, then mailed to the publisher."""

from __future__ import annotations

import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from clusterportal.portal.models import Feedback, Publisher


def reply_due(publisher: Publisher | None, today: datetime.date) -> datetime.date:
    days = (
        publisher.feedback_reply_days
        if publisher
        else Publisher._meta.get_field("feedback_reply_days").default
    )
    return today + datetime.timedelta(days=days)


def receive(values: dict, publisher: Publisher | None) -> Feedback:
    """Store the feedback and mail it to the publisher's accessibility address, together:
    the mail goes through the outbox (docs/mail.md), inside this transaction."""
    with transaction.atomic():
        feedback = Feedback.objects.create(
            page=values["page"],
            message=values["message"],
            name=values["name"],
            email=values["email"],
            language=get_language() or "de",
            reply_due=reply_due(publisher, timezone.localdate()),
        )
        if publisher is not None:
            _mail(feedback, publisher.feedback_address).send()
    return feedback


def _mail(feedback: Feedback, address: str) -> EmailMessage:
    # German for the publisher's staff; the sender's own words as they wrote them.
    lines = [
        "Eine Rückmeldung zur Barrierefreiheit ist eingegangen.",
        "",
        f"Seite: {feedback.page or '–'}",
        f"Name: {feedback.name or '–'}",
        f"E-Mail: {feedback.email or '– (keine Antwort erbeten)'}",
        f"Sprache: {feedback.language}",
        f"Antwort fällig am: {feedback.reply_due:%d.%m.%Y}",
        "",
        feedback.message,
    ]
    reply_to = [feedback.email] if feedback.email else []
    subject = f"Rückmeldung zur Barrierefreiheit #{feedback.pk}"
    return EmailMessage(subject, "\n".join(lines), to=[address], reply_to=reply_to)
