"""Sending an invitation: one e-mail with the link to accept it."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterportal.accounts.models import Invitation


def send_invitation(invitation: Invitation, request) -> None:
    link = request.build_absolute_uri(reverse("accounts:invitation", args=[invitation.key]))
    body = render_to_string(
        "accounts/invitation_email.txt", {"invitation": invitation, "link": link}
    )
    send_mail(_("Einladung in die Clusterdatenbank"), body, None, [invitation.email])
