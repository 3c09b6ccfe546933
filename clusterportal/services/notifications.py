"""E-mail about service requests: who hears of which step (docs/services.md).

* a new request: the ClusterAgentur (every active curator);
* assigned, scheduled: the advisor and the initiative's side (the requester and the
  initiative's managers);
* closed, feedback asked: the initiative's side;
* feedback given: the advisor (without one: the curators).

The person who took the step gets no mail about it. Each recipient gets a message of their
own, in German with the English below, through Django's mail framework (the outbox,
settings.EMAIL_BACKEND), once the step's transaction has committed (ServiceRequest._step).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUBJECTS = {
    "requested": gettext_lazy("Neue Anfrage #%(number)s: %(service)s"),
    "assigned": gettext_lazy("Anfrage #%(number)s: Beratung zugewiesen"),
    "scheduled": gettext_lazy("Anfrage #%(number)s: Termin vereinbart"),
    "closed": gettext_lazy("Anfrage #%(number)s abgeschlossen"),
    "feedback_asked": gettext_lazy("Anfrage #%(number)s: Ihre Rückmeldung, bitte"),
    "feedback_given": gettext_lazy("Anfrage #%(number)s: Rückmeldung erhalten"),
}
LEADS = {
    "requested": gettext_lazy(
        "%(actor)s hat für „%(initiative)s“ die Leistung „%(service)s“ angefragt. Bitte weisen "
        "Sie die Anfrage einer Beratung zu."
    ),
    "assigned": gettext_lazy(
        "%(actor)s hat die Anfrage „%(service)s“ für „%(initiative)s“ %(advisor)s zugewiesen."
    ),
    "scheduled": gettext_lazy(
        "Für die Anfrage „%(service)s“ für „%(initiative)s“ ist ein Termin vereinbart: %(when)s."
    ),
    "closed": gettext_lazy(
        "%(actor)s hat die Anfrage „%(service)s“ für „%(initiative)s“ abgeschlossen."
    ),
    "feedback_asked": gettext_lazy(
        "Die ClusterAgentur bittet um Ihre Rückmeldung zur Leistung „%(service)s“ für "
        "„%(initiative)s“: eine Bewertung von 1 bis 5 und ein paar Worte, einmal je Anfrage."
    ),
    "feedback_given": gettext_lazy(
        "%(actor)s hat die Leistung „%(service)s“ für „%(initiative)s“ mit %(score)s von 5 "
        "bewertet."
    ),
}
TO_STAFF = {"requested"}
TO_ADVISOR = {"assigned", "scheduled", "feedback_given"}
TO_INITIATIVE = {"assigned", "scheduled", "closed", "feedback_asked"}


def _name(user) -> str:
    if user is None:
        return _("Jemand")
    return user.get_full_name() or user.email


def curators() -> list:
    from clusterportal.accounts.models import Role

    active = get_user_model().objects.filter(is_active=True).order_by("email")
    return list(active.filter(roles__kind=Role.Kind.CURATOR).distinct()) or list(
        active.filter(is_superuser=True)
    )


def initiative_side(request) -> list:
    """The requester and the managers of the request's initiative."""
    from clusterportal.accounts.models import Role

    people = [request.requester] if request.requester is not None else []
    people += [r.user for r in Role.objects.managers_of(request.initiative).select_related("user")]
    return people


def recipients(request, step: str, actor_id: int | None) -> list[str]:
    people = []
    if step in TO_STAFF:
        people += curators()
    if step in TO_ADVISOR:
        people += [request.advisor] if request.advisor is not None else []
        if step == "feedback_given" and request.advisor is None:
            people += curators()
    if step in TO_INITIATIVE:
        people += initiative_side(request)
    addresses: dict[str, None] = {}
    for person in people:
        if person.is_active and person.email and person.pk != actor_id:
            addresses.setdefault(person.email.lower(), None)
    return list(addresses)


def _text(request, step: str, actor) -> tuple[str, str]:
    """Subject and body in the active language."""
    when = ""
    if request.scheduled_for:
        when = date_format(timezone.localtime(request.scheduled_for), "DATETIME_FORMAT")
        if request.schedule_note:
            when += f" ({request.schedule_note})"
    values = {
        "number": request.pk,
        "service": request.service.localized_title,
        "initiative": request.initiative.name,
        "actor": _name(actor),
        "advisor": _name(request.advisor),
        "when": when,
        "score": request.feedback_score,
    }
    lines = [str(LEADS[step]) % values, ""]
    if step == "requested":
        lines.append(_("Anliegen: %(message)s") % {"message": request.message})
    if step == "closed" and request.closing_note:
        lines.append(_("Vermerk: %(note)s") % {"note": request.closing_note})
    if step == "feedback_given" and request.feedback_text:
        lines.append(_("Rückmeldung: %(text)s") % {"text": request.feedback_text})
    url = settings.PORTAL_URL + request.get_absolute_url()
    lines.append(_("Anfrage ansehen: %(url)s") % {"url": url})
    return str(SUBJECTS[step]) % values, "\n".join(lines)


def message(request, step: str, actor, address: str) -> EmailMessage:
    with translation.override("de"):
        subject_de, body_de = _text(request, step, actor)
    with translation.override("en"):
        subject_en, body_en = _text(request, step, actor)
    subject = f"{subject_de} / {subject_en}"
    body = f"{body_de}\n\n-- English --\n\n{body_en}\n"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def send_for_step(request_id: int, step: str, actor_id: int | None) -> int:
    """Send the mails of one step; the number sent."""
    from clusterportal.services.models import ServiceRequest

    request = ServiceRequest.objects.for_list().get(pk=request_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    messages = [message(request, step, actor, a) for a in recipients(request, step, actor_id)]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
