"""E-mail on every step of an application (docs/calls.md).

The applicants (every manager of the initiative, and the person who began the application)
hear of: submission, the start of the review, a question from the office, the decision, a
withdrawal. A juror hears of each assignment. Each recipient gets a message of their own, in
German, sent once the step's transaction has committed (so a refused step mails nothing).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from clusterportal.accounts.models import Role
from clusterportal.calls.application_models import Application, JurorAssignment

SUBJECTS = {
    "submitted": gettext_lazy("Antrag eingereicht: %(call)s"),
    "in_review": gettext_lazy("Antrag in Begutachtung: %(call)s"),
    "info_requested": gettext_lazy("Rückfrage zu Ihrem Antrag: %(call)s"),
    "decided": gettext_lazy("Entscheidung über Ihren Antrag: %(call)s"),
    "withdrawn": gettext_lazy("Antrag zurückgezogen: %(call)s"),
}
LEADS = {
    "submitted": gettext_lazy("der Antrag von „%(initiative)s“ ist eingegangen."),
    "in_review": gettext_lazy("der Antrag von „%(initiative)s“ wird jetzt begutachtet."),
    "info_requested": gettext_lazy(
        "zum Antrag von „%(initiative)s“ bittet die Geschäftsstelle um weitere Angaben. Sie "
        "können den Antrag jetzt ergänzen und erneut einreichen."
    ),
    "decided": gettext_lazy("über den Antrag von „%(initiative)s“ ist entschieden: %(decision)s."),
    "withdrawn": gettext_lazy("der Antrag von „%(initiative)s“ ist zurückgezogen."),
}


def applicant_addresses(application: Application) -> list[str]:
    managers = Role.objects.managers_of(application.initiative).filter(user__is_active=True)
    addresses = {role.user.email for role in managers.select_related("user")}
    if application.created_by and application.created_by.is_active:
        addresses.add(application.created_by.email)
    return sorted(address for address in addresses if address)


def _link(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def applicant_letter(application: Application, step: str, address: str) -> EmailMessage:
    call = application.call
    with override("de"):
        values = {"call": call.title, "initiative": application.initiative.name,
                  "decision": application.get_decision_display()}  # fmt: skip
        lead = str(LEADS[step] % values)
        lines = [_("Guten Tag,"), "", lead[:1].upper() + lead[1:]]
        if step == "info_requested" and application.staff_message:
            lines += ["", application.staff_message]
        if step == "decided" and application.decision_note:
            lines += ["", application.decision_note]
        lines += ["", _("Der Antrag: %(url)s") % {"url": _link(application.get_absolute_url())}]
        subject = str(SUBJECTS[step] % values)
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [address])


def mail_applicants(application: Application, step: str) -> None:
    """After the commit: a letter about `step` to each applicant."""

    def send() -> None:
        fresh = Application.objects.select_related("call", "initiative", "created_by").get(
            pk=application.pk
        )
        for address in applicant_addresses(fresh):
            applicant_letter(fresh, step, address).send()

    transaction.on_commit(send)


def mail_juror(assignment: JurorAssignment) -> None:
    def send() -> None:
        application = assignment.application
        with override("de"):
            subject = _("Begutachtung: %(call)s") % {"call": application.call.title}
            body = "\n".join([
                _("Guten Tag,"), "",
                _("Sie sind gebeten, den Antrag von „%(initiative)s“ zu begutachten. Prüfen "
                  "Sie zuerst, ob Sie befangen sind; dann können Sie ihn lesen und bewerten.")
                % {"initiative": application.initiative.name}, "",
                _link(reverse("calls:review", args=[assignment.pk])),
            ])  # fmt: skip
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [assignment.juror.email]).send()

    transaction.on_commit(send)
