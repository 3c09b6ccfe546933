"""E-mail about change requests: who hears of which step.

* a new or amended request: the reviewers, that is the regional contact(s) of the
  initiative's Region; the curators for state-wide networks and agencies, and for a
  Region that has no contact yet (so that no request waits unseen);
* a question, an approval or a rejection: the author and the initiative's managers (for an
  application to the registry, the applicant is both; the mail then speaks of the
  application, not of a change);
* a withdrawal: the reviewers.

The person who took the step gets no mail about it. Each recipient gets a message of
their own (no one sees the others' addresses), in German with the English below.
Mails go through Django's mail framework (settings.EMAIL_BACKEND), once the step's
transaction has committed (ChangeRequest._record).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TO_REVIEWERS = {"submitted", "amended", "withdrawn"}
SUBJECTS = {
    "submitted": gettext_lazy("Neuer Änderungsantrag #%(number)s"),
    "amended": gettext_lazy("Änderungsantrag #%(number)s ergänzt"),
    "asked": gettext_lazy("Rückfrage zum Änderungsantrag #%(number)s"),
    "approved": gettext_lazy("Änderungsantrag #%(number)s angenommen"),
    "rejected": gettext_lazy("Änderungsantrag #%(number)s abgelehnt"),
    "withdrawn": gettext_lazy("Änderungsantrag #%(number)s zurückgezogen"),
}
LEADS = {
    "submitted": gettext_lazy(
        "%(actor)s hat für „%(initiative)s“ einen Änderungsantrag gestellt. Bitte prüfen Sie ihn."
    ),
    "amended": gettext_lazy(
        "%(actor)s hat den Änderungsantrag für „%(initiative)s“ ergänzt (Fassung %(revision)s). "
        "Bitte prüfen Sie ihn."
    ),
    "asked": gettext_lazy(
        "%(actor)s hat eine Rückfrage zum Änderungsantrag für „%(initiative)s“. Bitte "
        "ergänzen Sie den Antrag im Bearbeitungsformular des Profils."
    ),
    "approved": gettext_lazy(
        "%(actor)s hat den Änderungsantrag für „%(initiative)s“ angenommen. Die Änderungen "
        "stehen jetzt im öffentlichen Profil."
    ),
    "rejected": gettext_lazy("%(actor)s hat den Änderungsantrag für „%(initiative)s“ abgelehnt."),
    "withdrawn": gettext_lazy(
        "%(actor)s hat den Änderungsantrag für „%(initiative)s“ zurückgezogen."
    ),
}
# An application to the registry (changes/admission.py) is decided in the same steps; its
# applicant reads of their application and of the entry going public.
ADMISSION_SUBJECTS = {
    "asked": gettext_lazy("Rückfrage zum Aufnahmeantrag #%(number)s"),
    "approved": gettext_lazy("Aufnahmeantrag #%(number)s angenommen"),
    "rejected": gettext_lazy("Aufnahmeantrag #%(number)s abgelehnt"),
}
ADMISSION_LEADS = {
    "asked": gettext_lazy(
        "%(actor)s hat eine Rückfrage zum Aufnahmeantrag für „%(initiative)s“. Bitte ergänzen "
        "Sie die Angaben im Bearbeitungsformular des Eintrags."
    ),
    "approved": gettext_lazy(
        "%(actor)s hat den Aufnahmeantrag für „%(initiative)s“ angenommen. Der Eintrag steht "
        "jetzt öffentlich in der Clusterdatenbank; Sie pflegen ihn über Ihr Konto."
    ),
    "rejected": gettext_lazy("%(actor)s hat den Aufnahmeantrag für „%(initiative)s“ abgelehnt."),
}


def reviewers_for(kind: str, region) -> tuple[list, bool]:
    """Who decides a request, and whether they are the Region's contacts: the active
    regional contacts of a regional initiative's Region; else the curators (state-wide
    networks and agencies, Regionen without a contact); while there is no curator, the
    operators (superusers), so that no request waits unseen."""
    from django.contrib.auth import get_user_model

    from clusterportal.accounts.models import Role
    from clusterportal.registry.models import ClusterInitiative

    active = get_user_model().objects.filter(is_active=True).order_by("email")
    if kind == ClusterInitiative.Kind.CLUSTER_INITIATIVE and region is not None:
        contacts = list(active.filter(roles__kind=Role.Kind.REGIONAL_CONTACT, roles__region=region))
        if contacts:
            return contacts, True
    curators = list(active.filter(roles__kind=Role.Kind.CURATOR))
    return curators or list(active.filter(is_superuser=True)), False


def reviewers(initiative) -> list:
    """The people who decide on the initiative's requests (accounts/rules.py: is_contact_for)."""
    return reviewers_for(initiative.kind, initiative.region)[0]


def involved(request) -> list:
    """The author and the managers of the request's initiative."""
    from clusterportal.accounts.models import Role

    people = [request.author] if request.author is not None else []
    people += [r.user for r in Role.objects.managers_of(request.initiative).select_related("user")]
    return people


def recipients(event) -> list[str]:
    request = event.request
    people = reviewers(request.initiative) if event.action in TO_REVIEWERS else involved(request)
    addresses: dict[str, None] = {}
    for person in people:
        if person.is_active and person.email and person.pk != event.actor_id:
            addresses.setdefault(person.email.lower(), None)
    return list(addresses)


def _name(user) -> str:
    if user is None:
        return _("Jemand")
    return user.get_full_name() or user.email


def _text(event) -> tuple[str, str]:
    """Subject and body in the active language."""
    request = event.request
    values = {
        "number": request.pk,
        "initiative": request.initiative.name,
        "actor": _name(event.actor),
        "revision": request.revision,
    }
    admission = request.kind == request.Kind.ADMISSION and event.action in ADMISSION_LEADS
    subjects, leads = (ADMISSION_SUBJECTS, ADMISSION_LEADS) if admission else (SUBJECTS, LEADS)
    lines = [str(leads[event.action]) % values, ""]
    if event.action in ("submitted", "amended"):
        labels = ", ".join(label for _n, label, _b, _p in request.diff())
        lines.append(_("Geänderte Felder: %(fields)s") % {"fields": labels})
    if event.message:
        lines.append(_("Nachricht: %(message)s") % {"message": event.message})
    url = settings.PORTAL_URL + request.get_absolute_url()
    lines.append(_("Antrag ansehen: %(url)s") % {"url": url})
    return str(subjects[event.action]) % values, "\n".join(lines)


def message(event, address: str) -> EmailMessage:
    with translation.override("de"):
        subject_de, body_de = _text(event)
    with translation.override("en"):
        subject_en, body_en = _text(event)
    subject = f"{subject_de} / {subject_en}: {event.request.initiative.name}"
    body = f"{body_de}\n\n-- English --\n\n{body_en}\n"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def send_for_event(event_id: int) -> int:
    """Send the mails of one step; the number sent."""
    from clusterportal.changes.models import ChangeRequest, Event

    event = Event.objects.select_related("actor", "request__initiative", "request__author").get(
        pk=event_id
    )
    if event.action == "submitted" and event.request.kind == ChangeRequest.Kind.ADMISSION:
        return 0  # the application form mails the reviewers itself, with the applicant's data
    messages = [message(event, address) for address in recipients(event)]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
