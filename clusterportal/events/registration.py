"""Registering for an event: one validation for the page's form and the API, the
confirmation mail with the withdrawal link, and the mails of the waiting list (a place
offered, an offer accepted without asking, an offer that ran out)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from clusterportal.events.models import Event, Move, Registration, RegistrationRefused
from clusterportal.events.questions import clean_answers

MAX_NAME = 200


class InvalidRegistration(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid registration")
        self.errors = errors


def validate(event: Event, data: dict) -> dict:
    """The cleaned values, or InvalidRegistration naming each bad field."""
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = [_("Bitte geben Sie Ihren Namen an.")]
    elif len(name.strip()) > MAX_NAME or "\n" in name:
        errors["name"] = [_("Bitte einen Namen in einer Zeile mit höchstens 200 Zeichen.")]
    email = data.get("email")
    try:
        if not isinstance(email, str):
            raise ValidationError("")
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = [_("Bitte geben Sie eine gültige E-Mail-Adresse an.")]
    consent = data.get("consent_participant_list", False)
    if not isinstance(consent, bool):
        errors["consent_participant_list"] = [_("Bitte ja oder nein (true/false) angeben.")]
    answers, answer_errors = clean_answers(event.questions, data.get("answers", {}))
    errors.update(answer_errors)
    if errors:
        raise InvalidRegistration(errors)
    return {"name": name.strip(), "email": email.strip(), "consent": consent, "answers": answers}


def submit(event: Event, data: dict) -> Registration:
    """Validate and register (RegistrationRefused or InvalidRegistration: nothing written)."""
    values = validate(event, data)
    ran_out = event.registrations.filter(
        status=Registration.Status.OFFERED, offer_expires_at__lte=timezone.now()
    )
    if ran_out.exists():  # its place passes on before the newcomer is counted
        settle(event)
    with transaction.atomic():
        registration = event.register(
            values["name"], values["email"], values["consent"], values["answers"]
        )
        confirmation(registration).send()
    return registration


def withdraw(registration: Registration) -> list[Move]:
    """Withdraw (or decline an offer) and mail whoever the freed place goes to, together."""
    with transaction.atomic():
        moves = registration.withdraw()
        mail_moves(moves)
    return moves


def accept(registration: Registration) -> list[Move]:
    """Take an offered place (RegistrationRefused when the offer is gone)."""
    with transaction.atomic():
        moves = registration.accept_offer()
        mail_moves(moves)
    return moves


def settle(event: Event) -> list[Move]:
    """Pass on the offers of one event that ran out (`clusterportal pass_on_offers`)."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        moves = locked.settle_waiting_list()
        mail_moves(moves)
    return moves


def mail_moves(moves: list[Move]) -> None:
    letters = {"offered": offered, "promoted": moved_up, "expired": offer_expired}
    for move in moves:
        letters[move.kind](move.registration).send()


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    return f"{start:%d.%m.%Y, %H:%M} Uhr" if event.time_known else f"{start:%d.%m.%Y}"


def confirmation(registration: Registration) -> EmailMessage:
    event = registration.event
    with override("de"):
        if registration.status == Registration.Status.CONFIRMED:
            lead = _("Ihre Anmeldung ist bestätigt.")
        else:
            lead = _("Die Plätze sind vergeben; Sie stehen auf der Warteliste an Stelle %(n)s. "
                     "Wird ein Platz frei, erhalten Sie eine E-Mail.") % {
                "n": registration.waiting_position()
            }  # fmt: skip
        body = "\n".join([
            _("Guten Tag %(name)s,") % {"name": registration.name}, "",
            f"{event.title} – {_when(event)}", lead, "",
            _("Abmelden: %(url)s") % {"url": registration.withdraw_url()},
        ])  # fmt: skip
        subject = _("Anmeldung: %(title)s") % {"title": event.title}
    return EmailMessage(subject, body, to=[registration.email])


def moved_up(registration: Registration) -> EmailMessage:
    event = registration.event
    with override("de"):
        body = "\n".join([
            _("Guten Tag %(name)s,") % {"name": registration.name}, "",
            _("ein Platz ist frei geworden: Ihre Anmeldung für „%(title)s“ am %(when)s ist "
              "jetzt bestätigt.") % {"title": event.title, "when": _when(event)}, "",
            _("Falls Sie nicht teilnehmen können, melden Sie sich bitte ab: %(url)s")
            % {"url": registration.withdraw_url()},
        ])  # fmt: skip
        subject = _("Platz frei: %(title)s") % {"title": event.title}
    return EmailMessage(subject, body, to=[registration.email])


def _deadline(registration: Registration) -> str:
    return f"{timezone.localtime(registration.offer_expires_at):%d.%m.%Y, %H:%M} Uhr"


def offered(registration: Registration) -> EmailMessage:
    event = registration.event
    with override("de"):
        body = "\n".join([
            _("Guten Tag %(name)s,") % {"name": registration.name}, "",
            _("ein Platz für „%(title)s“ am %(when)s ist frei geworden. Wir halten ihn für Sie "
              "bis %(deadline)s.") % {
                "title": event.title, "when": _when(event), "deadline": _deadline(registration),
            },
            _("Platz annehmen oder ablehnen: %(url)s") % {"url": registration.offer_url()}, "",
            _("Nehmen Sie ihn bis dahin nicht an, geht er an die nächste Person auf der "
              "Warteliste."),
        ])  # fmt: skip
        subject = _("Platz frei für Sie: %(title)s") % {"title": event.title}
    return EmailMessage(subject, body, to=[registration.email])


def offer_expired(registration: Registration) -> EmailMessage:
    event = registration.event
    with override("de"):
        body = "\n".join([
            _("Guten Tag %(name)s,") % {"name": registration.name}, "",
            _("das Platzangebot für „%(title)s“ ist abgelaufen; der Platz geht an die nächste "
              "Person auf der Warteliste. Sie können sich erneut anmelden: %(url)s") % {
                "title": event.title, "url": settings.PORTAL_URL + event.get_absolute_url(),
            },
        ])  # fmt: skip
        subject = _("Platzangebot abgelaufen: %(title)s") % {"title": event.title}
    return EmailMessage(subject, body, to=[registration.email])


__all__ = [
    "InvalidRegistration", "RegistrationRefused", "accept", "settle", "submit", "validate",
    "withdraw",
]  # fmt: skip
