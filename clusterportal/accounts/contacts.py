"""The public pages of the regional cluster contacts, and the consent behind them.

Each of the 12 Regionen of Baden-Württemberg has a page (/cluster/kontakte/<region>/)
listing its regional cluster contacts: the people holding the regional_contact role
for it who agreed to be shown (ContactProfile with a recorded consent). State-wide
networks and state agencies have no regional contact: the curators (ministry,
ClusterAgentur) are theirs, listed on the index page under "landesweit".

Nothing is shown without consent, and nothing is invented: without a consenting
contact, the page says so and names who to turn to instead, from the data only.

The consent text has a version; a person's ContactProfile records the version they
agreed to. A changed text gets a new version here (the old ones stay, so that every
record can still be read back to the words it was given under); docs/admission.md
quotes each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterportal.accounts.models import ContactProfile, Role
from clusterportal.lib.text import collation_key
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative

CONSENT_VERSION = "kontakt-v1"
CONSENT_TEXTS = {
    "kontakt-v1": _(
        "Ich willige ein, dass das Clusterportal meinen Namen, meine Organisation, meine "
        "E-Mail-Adresse und meine Telefonnummer, wie ich sie hier angebe, öffentlich zeigt: "
        "auf der Seite der regionalen Clusterkontakte meiner Region (als Kuratorin oder "
        "Kurator: auf der Übersicht der Clusterkontakte), damit Cluster-Initiativen mich "
        "erreichen können. Ich kann die Einwilligung jederzeit auf dieser Seite widerrufen; "
        "meine Angaben sind dann sofort nicht mehr öffentlich zu sehen."
    ),
}
# Anchor of the curators' part of the index, the target of state-wide entries' profiles.
CURATORS_ANCHOR = "landesweit"


@dataclass(frozen=True)
class RegionContacts:
    region: Region
    contacts: list[ContactProfile]


def _by_name(profiles: Iterable[ContactProfile]) -> list[ContactProfile]:
    """By display name as a dictionary sorts (the database puts "Özdemir" after "Zeller")."""
    return sorted(profiles, key=lambda profile: (collation_key(profile.display_name), profile.pk))


def _public_profiles(role_filter) -> list[ContactProfile]:
    return _by_name(
        ContactProfile.objects.public().filter(
            user__in=Role.objects.filter(role_filter).values("user")
        )
    )


def regions() -> list[Region]:
    """The Regionen a regional contact can be responsible for (the 12 of the Land)."""
    return sorted(
        Region.objects.of_kind(Region.Kind.REGION).without_boundaries(),
        key=lambda region: collation_key(region.localized_name),
    )


def region_contacts(region: Region) -> list[ContactProfile]:
    """The consenting regional contacts of one Region (one query)."""
    return _public_profiles(Q(kind=Role.Kind.REGIONAL_CONTACT, region=region))


def curators() -> list[ContactProfile]:
    """The consenting curators: the contacts of state-wide networks and agencies (one query)."""
    return _public_profiles(Q(kind=Role.Kind.CURATOR))


def all_region_contacts() -> list[RegionContacts]:
    """Every Region with its consenting contacts, for the index (two queries)."""
    roles = (
        Role.objects.filter(kind=Role.Kind.REGIONAL_CONTACT)
        .filter(user__contact_profile__in=ContactProfile.objects.public())
        .select_related("user__contact_profile")
        .order_by("pk")
    )
    by_region: dict[int, list[ContactProfile]] = {}
    for role in roles:
        by_region.setdefault(role.region_id, []).append(role.user.contact_profile)
    return [RegionContacts(region, _by_name(by_region.get(region.pk, []))) for region in regions()]


def contact_page_url(initiative: ClusterInitiative) -> str:
    """Where the profile of `initiative` sends a visitor who looks for its reviewer:
    the page of its Region, or the curators' part of the index for state-wide
    networks, agencies and entries without a Region (the same routing as rules.is_contact_for)."""
    region = initiative.region
    if (
        initiative.kind == ClusterInitiative.Kind.CLUSTER_INITIATIVE
        and region is not None
        and region.kind == Region.Kind.REGION
    ):
        return reverse("contacts:region", kwargs={"slug": region.slug})
    return reverse("contacts:index") + "#" + CURATORS_ANCHOR


class ContactDetailsForm(forms.ModelForm):
    """A person's public details, and whether they agree to show them (the current text)."""

    phone = forms.CharField(
        label=_("Telefon"),
        max_length=50,
        required=False,
        validators=[
            RegexValidator(
                r"^[0-9 +()/\-.]*$",
                _("Bitte nur Ziffern, Leerzeichen und + ( ) / - . verwenden."),
            )
        ],
    )
    consent = forms.BooleanField(label=CONSENT_TEXTS[CONSENT_VERSION], required=False)

    class Meta:
        model = ContactProfile
        fields = ["display_name", "organisation", "email", "phone"]
        labels = {"email": _("E-Mail")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].initial = self.instance.is_public

    def save(self, commit: bool = True) -> ContactProfile:
        """Store the details; give the consent (once per version) or withdraw it."""
        profile = super().save(commit=False)
        if not self.cleaned_data["consent"]:
            profile.withdraw_consent()
        elif not profile.is_public or profile.consent_text != CONSENT_VERSION:
            profile.give_consent(CONSENT_VERSION)
        else:
            profile.save()
        return profile


def contact_profile_of(user) -> ContactProfile:
    """The person's ContactProfile, or an unsaved one filled from their account."""
    try:
        return user.contact_profile
    except ContactProfile.DoesNotExist:
        name = user.get_full_name() or user.first_name
        return ContactProfile(user=user, display_name=name, email=user.email)
