"""Mails of the review workflow, through Django's mail framework (the outbox backend keeps
them in the database until delivered). Reviewers are the curators, as in changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _


def curators() -> list:
    from clusterportal.accounts.models import Role

    active = get_user_model().objects.filter(is_active=True).order_by("email")
    found = list(active.filter(roles__kind=Role.Kind.CURATOR).distinct())
    return found or list(active.filter(is_superuser=True))


def _send(addresses: list[str], subject: str, body: str) -> None:
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


def submitted(article, url: str) -> None:
    with translation.override("de"):
        subject = _("Beitrag zur Prüfung: %(title)s") % {"title": article.title}
        body = _("Ein Beitrag wartet auf Ihre Prüfung:\n%(url)s") % {"url": url}
    _send([u.email for u in curators() if u.email], subject, body)


def sent_back(article, url: str) -> None:
    if not (article.author and article.author.email):
        return
    with translation.override("de"):
        subject = _("Beitrag zurückgegeben: %(title)s") % {"title": article.title}
        body = _("Bitte überarbeiten Sie den Beitrag:\n\n%(note)s\n\n%(url)s") % {
            "note": article.review_note,
            "url": url,
        }
    _send([article.author.email], subject, body)
