"""People and their roles in the registry: who may keep, review and curate what.

Accounts are Django's users, managed by django-allauth (e-mail login). A person's
rights come from `Role` rows, checked per object by the rules in rules.py:

* curator: the ministry and the ClusterAgentur; everything in the registry;
* regional contact of a Region: reviews the initiatives seated there;
* cluster manager of an initiative: keeps that initiative's profile;
* juror: reviews the applications of calls they are assigned to (calls/applications.py),
  optionally with the organisation they work for, which flags conflicts of interest.

Everyone with an account is a registered user. Public contact details of a
person (a regional contact's page) are shown only with a recorded consent.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative


class RoleQuerySet(models.QuerySet["Role"]):
    def curators(self) -> RoleQuerySet:
        return self.filter(kind=Role.Kind.CURATOR)

    def contacts_of(self, region: Region) -> RoleQuerySet:
        return self.filter(kind=Role.Kind.REGIONAL_CONTACT, region=region)

    def managers_of(self, initiative: ClusterInitiative) -> RoleQuerySet:
        return self.filter(kind=Role.Kind.CLUSTER_MANAGER, initiative=initiative)


class Role(models.Model):
    """One right of one person: a curator, the contact of a Region, the manager of an initiative."""

    class Kind(models.TextChoices):
        CURATOR = "curator", _("Kuratorin / Kurator")
        REGIONAL_CONTACT = "regional_contact", _("regionaler Clusterkontakt")
        CLUSTER_MANAGER = "cluster_manager", _("Clustermanagement")
        JUROR = "juror", _("Jurorin / Juror")

    # Roles whose holders see personal data of others and decide: they must use TOTP.
    STAFF_KINDS = {Kind.CURATOR, Kind.REGIONAL_CONTACT}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("Rolle"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_roles",
    )
    initiative = models.ForeignKey(
        ClusterInitiative,
        verbose_name=pgettext_lazy("Modell", "Cluster-Initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="manager_roles",
    )
    # A juror's employer: an application of an initiative it is a member of (or manages)
    # is a conflict of interest (calls/conflicts.py).
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="juror_roles",
    )
    granted_at = models.DateTimeField(_("vergeben am"), default=timezone.now)
    granted_by = models.CharField(_("vergeben von"), max_length=254, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        ordering = ["kind", "user__email"]
        constraints = [
            # A regional contact has a Region, a manager an initiative, a curator and a
            # juror neither; only a juror names an organisation.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["curator", "juror"], region__isnull=True, initiative__isnull=True
                    )
                    | models.Q(
                        kind="regional_contact", region__isnull=False, initiative__isnull=True
                    )
                    | models.Q(
                        kind="cluster_manager", region__isnull=True, initiative__isnull=False
                    )
                )
                & (models.Q(kind="juror") | models.Q(organisation__isnull=True)),
                name="role_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(kind__in=["curator", "juror"]),
                name="role_one_unscoped_row",
            ),
            models.UniqueConstraint(fields=["user", "region"], name="role_unique_region"),
            models.UniqueConstraint(fields=["user", "initiative"], name="role_unique_initiative"),
        ]

    def __str__(self) -> str:
        scope = self.region or self.initiative
        label = self.get_kind_display()
        return f"{self.user}: {label} ({scope})" if scope else f"{self.user}: {label}"


class ContactProfileQuerySet(models.QuerySet["ContactProfile"]):
    def public(self) -> ContactProfileQuerySet:
        """The details a person agreed to show, of accounts that are still active."""
        return self.filter(consent_given_at__isnull=False, user__is_active=True)


class ContactProfile(models.Model):
    """How a person appears publicly (a regional contact's page), with their consent.

    Nothing of it is shown before `consent_given_at` is set; `consent_text` names the
    version of the consent text the person agreed to (docs/privacy.md).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_profile"
    )
    display_name = models.CharField(_("Name"), max_length=200)
    organisation = models.CharField(_("Organisation"), max_length=300, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    consent_given_at = models.DateTimeField(_("Einwilligung erteilt am"), null=True, blank=True)
    consent_text = models.CharField(_("Fassung des Einwilligungstexts"), max_length=40, blank=True)

    objects = ContactProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("öffentliche Kontaktangaben")
        verbose_name_plural = _("öffentliche Kontaktangaben")

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_public(self) -> bool:
        return self.consent_given_at is not None

    def give_consent(self, version: str) -> None:
        """Publish the details from now on, under the consent text `version` (contacts.py)."""
        self.consent_given_at = timezone.now()
        self.consent_text = version
        self.save()

    def withdraw_consent(self) -> None:
        """Hide the details at once; they stay with the person's account until they delete them."""
        self.consent_given_at = None
        self.consent_text = ""
        self.save()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the JSON API (`Authorization: Bearer <token>`).

    Only a hash is stored; the token itself is shown once, when it is made.
    A revoked token stays, so that its reuse is answered as revoked.
    """

    PREFIX = "cp_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("Zweck"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that a person can tell their tokens apart.
    hint = models.CharField(_("Anfang"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        """A new token and its secret (shown once, never stored)."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=cls.digest_of(secret), hint=secret[:10]
        )
        return token, secret

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class Invitation(models.Model):
    """Staff invite a person by e-mail to a role; the link makes or finds the account."""

    VALID_DAYS = 14

    email = models.EmailField(_("E-Mail"))
    kind = models.CharField(_("Rolle"), max_length=20, choices=Role.Kind.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)
    initiative = models.ForeignKey(
        ClusterInitiative, null=True, blank=True, on_delete=models.CASCADE
    )
    key = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_kind_display()})"

    def save(self, *args, **kwargs) -> None:
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        if self.expires_at is None:
            self.expires_at = timezone.now() + datetime.timedelta(days=self.VALID_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at

    def accept(self, user) -> Role:
        """Give `user` the invited role, once; the caller checks `is_open` first."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.is_open:
                raise InvitationClosed(self)
            role = grant(
                user, self.kind, region=self.region, initiative=self.initiative, by=self.email
            )[0]
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["accepted_at"])
        return role


class InvitationClosed(Exception):
    """The invitation was accepted before, or has expired."""


def grant(
    user,
    kind: str,
    *,
    region: Region | None = None,
    initiative: ClusterInitiative | None = None,
    organisation=None,
    by: str = "",
) -> tuple[Role, bool]:
    """Give a role (idempotent): the role and whether it is new.

    Curators and regional contacts work in the back office too: they become staff
    (what they may do there is still decided by the rules, not by is_staff).
    """
    role, created = Role.objects.get_or_create(
        user=user,
        kind=kind,
        region=region,
        initiative=initiative,
        defaults={"granted_by": by, "organisation": organisation},
    )
    if not created and organisation is not None and role.organisation_id != organisation.pk:
        role.organisation = organisation
        role.save(update_fields=["organisation"])
    _follow_staff_flag(user)
    return role, created


def _follow_staff_flag(user) -> None:
    staff = user.is_superuser or user.roles.filter(kind__in=Role.STAFF_KINDS).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def revoke(
    user,
    kind: str,
    *,
    region: Region | None = None,
    initiative: ClusterInitiative | None = None,
) -> int:
    """Take a role away; the number of roles removed (0 or 1)."""
    deleted, _ = Role.objects.filter(
        user=user, kind=kind, region=region, initiative=initiative
    ).delete()
    _follow_staff_flag(user)
    return deleted
