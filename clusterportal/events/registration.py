"""Registering for an event: one validation for the page's form and the API, the
confirmation mail with the withdrawal link, and the mail to whoever moves up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from clusterportal.events.models import Event, Registration, RegistrationRefused
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
    with transaction.atomic():
        registration = event.register(
            values["name"], values["email"], values["consent"], values["answers"]
        )
        confirmation(registration).send()
    return registration


def withdraw(registration: Registration) -> Registration | None:
    """Withdraw and mail the person who moves up, together."""
    with transaction.atomic():
        promoted = registration.withdraw()
        if promoted is not None:
            moved_up(promoted).send()
    return promoted


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
                     "Wird ein Platz frei, rücken Sie automatisch nach und erhalten eine E-Mail.") % {
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


__all__ = ["InvalidRegistration", "RegistrationRefused", "submit", "validate", "withdraw"]
