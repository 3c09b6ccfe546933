"""Admission: "Aufnahme beantragen", the public way into the Clusterdatenbank.

An applicant (a visitor, or a person with an account) names the initiative and
the facts the admission criteria ask for. One transaction then makes

* the applicant's account, if they have none: django-allauth's user with an
  unverified e-mail address, which they confirm by the link allauth mails them
  (they log in later by an e-mail code, or after setting a password);
* a draft ClusterInitiative (name, kind, Region, seat): drafts appear in no
  public list, page or API answer, which all read `.published()`;
* the cluster_manager role of that draft for the applicant;
* an admission change request holding the proposed profile values; approving it
  publishes the entry with them (ChangeRequest.approve).

The request goes to the regional contacts of the initiative's Region; state-wide
networks, and Regionen without a contact, go to the curators (and, while there is
no curator, to the portal's operators, its superusers). They get an e-mail.

A visitor who gives the address of an existing account gets no answer on the
page that would tell so (the same confirmation as everyone): the account's
owner is mailed to log in and apply from their account, and nothing is stored.

Mails leave after the transaction commits: an error never leaves a draft
without its request, or a mail about a request that does not exist.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_email
from allauth.core.context import request_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from clusterportal.accounts.models import Role, grant
from clusterportal.changes.forms import LONG_TEXT
from clusterportal.changes.models import ChangeRequest
from clusterportal.changes.notifications import reviewers_for
from clusterportal.lib.text import offer_by_label
from clusterportal.regions.models import Region
from clusterportal.registry.models import REMIND_AFTER_MONTHS, ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

log = logging.getLogger(__name__)

# Words that routes under cluster/ use: no initiative may take them as its slug.
RESERVED_SLUGS = {"aufnahme", "aufnahmekriterien", "kontakte", "export", "antraege", "labels"}
SLUG_LENGTH = 90  # of the model's 100, leaving room for "-99"
# The profile fields an application proposes (profile_fields.EDITABLE), in form order.
PROPOSED = [
    "website",
    "description",
    "contact_person",
    "contact_email",
    "contact_phone",
    "contact_consent",
    "technology_fields",
    "activities_per_year",
    "member_count",
    "member_companies_count",
    "member_count_year",
]
HONEYPOT = "zusatz"


def _count(label, maximum: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
        **kwargs,
    )


class AdmissionForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Damit legen wir Ihr Konto an; Sie bestätigen die Adresse über einen Link, "
            "den wir Ihnen schicken. Sie wird nicht veröffentlicht."
        ),
    )
    name = forms.CharField(label=_("Name der Initiative"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Art"),
        choices=[
            (
                ClusterInitiative.Kind.CLUSTER_INITIATIVE,
                ClusterInitiative.Kind.CLUSTER_INITIATIVE.label,
            ),
            (
                ClusterInitiative.Kind.STATEWIDE_NETWORK,
                ClusterInitiative.Kind.STATEWIDE_NETWORK.label,
            ),
        ],
        widget=forms.RadioSelect,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.of_kind(Region.Kind.REGION).without_boundaries(),
        to_field_name="slug",
        required=False,
        help_text=_("Für regionale Cluster-Initiativen: die Region des Sitzes."),
    )
    seat_kreis = forms.ModelChoiceField(
        label=_("Kreis des Sitzes"),
        queryset=Region.objects.of_kind(Region.Kind.KREIS).without_boundaries(),
        to_field_name="slug",
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=300,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    description = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Worum es der Initiative geht, für wen sie da ist (höchstens 5000 Zeichen)."),
    )
    contact_person = forms.CharField(label=_("Ansprechperson"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("E-Mail der Ansprechperson"), max_length=254, required=False
    )
    contact_phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    contact_consent = forms.BooleanField(
        label=_(
            "Die Ansprechperson ist einverstanden, dass Name, E-Mail und Telefon im Profil erscheinen."
        ),
        required=False,
    )
    technology_fields = forms.ModelMultipleChoiceField(
        label=_("Technologiefelder"),
        queryset=TechnologyField.objects.top_level(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities_per_year = _count(_("clusterspezifische Aktivitäten pro Jahr"), 1000)
    member_count = _count(_("Mitglieder"), 100_000)
    member_companies_count = _count(_("davon Unternehmen"), 100_000)
    member_count_year = forms.IntegerField(
        label=_("Stand Mitglieder"),
        required=False,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text=_("Das Jahr, für das die Mitgliederzahlen gelten."),
    )
    note = forms.CharField(
        label=_("Anmerkung für die Prüfung"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A light spam guard: people leave it empty (it is hidden from sight, and says so).
    zusatz = forms.CharField(label=_("Dieses Feld bitte leer lassen"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["email"]  # the application belongs to the account
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name in ("region", "seat_kreis", "technology_fields"):
            offer_by_label(self.fields[name])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(ord(character) < 32 for character in name):
            raise forms.ValidationError(_("Der Name muss in eine Zeile passen."))
        taken = ClusterInitiative.objects.exclude(status=ClusterInitiative.Status.ARCHIVED).filter(
            Q(name__iexact=name) | Q(short_name__iexact=name)
        )
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "Unter diesem Namen ist schon eine Initiative eingetragen oder beantragt. "
                    "Gehört sie zu Ihnen, wenden Sie sich bitte an den regionalen Clusterkontakt."
                )
            )
        return name

    def clean(self):
        data = super().clean()
        kind, region, kreis = data.get("kind"), data.get("region"), data.get("seat_kreis")
        if kind == ClusterInitiative.Kind.CLUSTER_INITIATIVE:
            if region is None and "region" not in self.errors:
                self.add_error("region", _("Bitte die Region der Initiative wählen."))
            elif region is not None and kreis is not None and kreis.parent_id != region.pk:
                self.add_error(
                    "seat_kreis",
                    _("Der Kreis %(kreis)s liegt nicht in der Region %(region)s.")
                    % {"kreis": kreis, "region": region.localized_name},
                )
        members, companies = data.get("member_count"), data.get("member_companies_count")
        if members is not None and companies is not None and companies > members:
            self.add_error(
                "member_companies_count",
                _("Es können nicht mehr Unternehmen als Mitglieder sein."),
            )
        return data

    def proposed_values(self) -> dict[str, object]:
        """The profile values for the admission request, as change requests store them."""
        values: dict[str, object] = {}
        for name in PROPOSED:
            value = self.cleaned_data[name]
            if name == "technology_fields":
                value = sorted(field.slug for field in value)
            values[name] = value
        return values


@dataclass(frozen=True)
class Submission:
    """What the confirmation page tells: never whether an address had an account."""

    email: str
    name: str
    region: Region | None  # the Region of a regional initiative
    to_regional_contact: bool  # False: the curators decide
    request: ChangeRequest | None  # None when nothing was stored (existing account)


def unique_slug(name: str) -> str:
    base = slugify(name)[:SLUG_LENGTH].strip("-") or "initiative"
    taken = set(
        ClusterInitiative.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def has_account(email: str) -> bool:
    User = get_user_model()
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def submit(form: AdmissionForm, http_request) -> Submission:
    """Store a valid application, all or nothing, and mail the people concerned."""
    user = http_request.user
    values = form.cleaned_data
    email = user.email if user.is_authenticated else values["email"].lower()
    kind = values["kind"]
    region = values["region"] if kind == ClusterInitiative.Kind.CLUSTER_INITIATIVE else None
    reviewers, regional = reviewers_for(kind, region)
    if not user.is_authenticated and has_account(email):
        transaction.on_commit(lambda: _mail_existing_account(http_request, email, values["name"]))
        return Submission(email, values["name"], region, regional, None)

    with transaction.atomic():
        if user.is_authenticated:
            applicant, address = user, None
        else:
            applicant, address = _new_account(http_request, email)
        initiative = _draft(values, region, applicant)
        grant(applicant, Role.Kind.CLUSTER_MANAGER, initiative=initiative, by="Aufnahmeantrag")
        request = ChangeRequest.propose(
            initiative,
            applicant,
            form.proposed_values(),
            edit_token=None,
            note=values["note"],
            kind=ChangeRequest.Kind.ADMISSION,
        )
        if address is not None:
            transaction.on_commit(lambda: _send_confirmation(http_request, address))
        transaction.on_commit(lambda: _mail_reviewers(http_request, request, reviewers, address))
    if not reviewers:
        log.warning("Admission request #%s has nobody to decide it", request.pk)
    return Submission(email, initiative.name, region, regional, request)


def _new_account(http_request, email: str):
    """An account as allauth's sign-up makes it: no password yet, the address unverified."""
    adapter = get_adapter(http_request)
    applicant = adapter.new_user(http_request)
    user_email(applicant, email)
    adapter.populate_username(http_request, applicant)
    applicant.set_unusable_password()
    applicant.save()
    address = EmailAddress.objects.create(user=applicant, email=email, primary=True, verified=False)
    return applicant, address


def _draft(values: dict, region: Region | None, applicant) -> ClusterInitiative:
    kreis = values["seat_kreis"]
    if region is None:
        # State-wide networks are filed under the Land, as the shipped entries are.
        region = next((r for r in kreis.ancestors() if r.kind == Region.Kind.LAND), None)
    initiative = ClusterInitiative(
        slug=unique_slug(values["name"]),
        name=values["name"],
        kind=values["kind"],
        status=ClusterInitiative.Status.DRAFT,
        region=region,
        seat_kreis=kreis,
        # The marker sits at the centre of the seat's Kreis until an address is geocoded.
        latitude=kreis.centroid_lat,
        longitude=kreis.centroid_lon,
        location_is_approximate=True,
    )
    initiative._change_reason = "Aufnahmeantrag"
    initiative._history_user = applicant
    initiative.full_clean()
    initiative.save()
    return initiative


def review_url(http_request, request: ChangeRequest) -> str:
    """The review screen of the request (changes/urls.py)."""
    return http_request.build_absolute_uri(request.get_absolute_url())


def _mail_reviewers(http_request, request: ChangeRequest, reviewers, address) -> None:
    context = {
        "request": request,
        "initiative": request.initiative,
        "applicant": request.author,
        "unverified": address is not None,
        "url": review_url(http_request, request),
        "portal_name": settings.PORTAL_NAME,
    }
    # Reviewers read German, the portal's language; one mail each keeps addresses private.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Aufnahmeantrag: %(name)s")) % {"name": request.initiative.name}
        body = render_to_string("changes/admission_mail_reviewer.txt", context)
    for reviewer in reviewers:
        _send(subject, body, reviewer.email)


def _mail_existing_account(http_request, email: str, name: str) -> None:
    context = {
        "name": name,
        "login_url": http_request.build_absolute_uri(reverse("account_login")),
        "apply_url": http_request.build_absolute_uri(reverse("admission:apply")),
        "portal_name": settings.PORTAL_NAME,
    }
    # In the language the visitor used: the mail answers their own request.
    subject = str(_("Ihr Aufnahmeantrag: %(name)s")) % {"name": name}
    body = render_to_string("changes/admission_mail_existing_account.txt", context)
    _send(subject, body, email)


def _send(subject: str, body: str, to: str) -> None:
    """The application is stored by now: a mail server that fails must not turn that
    into an error page. Logged for the operators (the outbox of issue 7, section 4,
    will retry)."""
    try:
        send_mail(subject, body, None, [to])
    except (smtplib.SMTPException, OSError):
        log.exception("Admission mail to %s not sent", to)


def _send_confirmation(http_request, address: EmailAddress) -> None:
    try:
        # allauth reads the request from its context, which ends with the request's
        # middleware; a callback after the commit may run later than that.
        with request_context(http_request):
            address.send_confirmation(http_request, signup=True)
    except (smtplib.SMTPException, OSError):
        log.exception("Confirmation mail to %s not sent", address.email)


# Yearly re-confirmation ------------------------------------------------------------


def due_confirmation_reminders(today: datetime.date | None = None) -> list[tuple]:
    """(initiative, managers) for every published initiative whose profile has not been
    confirmed for 12 months or more on `today`, with its active managers (2 queries).

    Each initiative carries `last_confirmed`: the sender keys a reminder by
    (initiative.pk, initiative.last_confirmed) to send it once (docs/admission.md).
    """
    managers = Role.objects.filter(user__is_active=True).select_related("user")
    due = (
        ClusterInitiative.objects.unconfirmed_since(REMIND_AFTER_MONTHS, today)
        .prefetch_related(
            Prefetch("manager_roles", managers.order_by("user__email"), to_attr="active_managers")
        )
        .order_by("name", "pk")
    )
    return [
        (initiative, [role.user for role in initiative.active_managers])
        for initiative in due
        if initiative.active_managers
    ]


def confirmation_reminders(today: datetime.date):
    """The yearly re-confirmation reminders for send_reminders (outbox/reminders.py):
    once per initiative and last confirmation, to its active managers."""
    from clusterportal.lib.dates import add_months
    from clusterportal.outbox.reminders import Reminder

    for initiative, managers in due_confirmation_reminders(today):
        last = timezone.localdate(initiative.last_confirmed)
        link = settings.PORTAL_URL.rstrip("/") + initiative.get_absolute_url()
        with translation.override(settings.LANGUAGE_CODE):
            subject = str(
                _("Bitte bestätigen Sie Ihr Profil: %(name)s") % {"name": initiative.name}
            )
            body = render_to_string(
                "changes/confirmation_reminder.txt",
                {"initiative": initiative, "last": last, "link": link},
            )
        yield Reminder(
            kind="profile_confirmation",
            object_key=f"registry.clusterinitiative:{initiative.pk}",
            due_on=add_months(last, REMIND_AFTER_MONTHS),
            recipients=tuple(dict.fromkeys(user.email for user in managers if user.email)),
            subject=subject,
            body=body,
            skip_reason="no cluster manager",
        )
