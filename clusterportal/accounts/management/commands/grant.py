"""`clusterportal grant ROLE EMAIL [--region SLUG] [--initiative SLUG] [--organisation SLUG]
[--revoke]`.

The operator's way to give or take a role (docs/roles.md). Creates the account
if it is missing (without a password: the person sets one through "forgot
password" or logs in by e-mail code), prints what it did, and changes nothing
when an argument is wrong.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from clusterportal.accounts.models import Role, grant, revoke
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative, Organisation


class Command(BaseCommand):
    help = "Give a person a role in the registry (or take it away with --revoke)."

    def add_arguments(self, parser):
        parser.add_argument("role", choices=[kind.value for kind in Role.Kind])
        parser.add_argument("email")
        parser.add_argument("--region", help="slug of the Region (regional_contact)")
        parser.add_argument("--initiative", help="slug of the initiative (cluster_manager)")
        parser.add_argument(
            "--organisation", help="slug of the juror's organisation (juror; flags conflicts)"
        )
        parser.add_argument("--revoke", action="store_true", help="take the role away")

    def handle(self, role, email, region=None, initiative=None, organisation=None,
               revoke=False, **options):  # fmt: skip
        email = _checked_email(email)
        scope = _scope(role, region, initiative)
        if organisation and (role != Role.Kind.JUROR or revoke):
            raise CommandError("--organisation goes with granting the juror role")
        if organisation:
            scope["organisation"] = _organisation(organisation)
        with transaction.atomic():
            if revoke:
                self._revoke(role, email, scope)
            else:
                self._grant(role, email, scope)

    def _grant(self, role, email, scope):
        user, created = _account(email)
        if created:
            self.stdout.write(f"created account {email}")
        _role, new = grant(user, role, by="clusterportal grant", **scope)
        verb = "granted" if new else "already had"
        self.stdout.write(f"{verb} {_describe(role, scope)} to {email}")

    def _revoke(self, role, email, scope):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no account with the e-mail address {email}")
        removed = revoke(user, role, **scope)
        verb = "revoked" if removed else "did not have"
        self.stdout.write(f"{verb} {_describe(role, scope)} from {email}")


def _checked_email(email: str) -> str:
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(f"not an e-mail address: {email!r}") from None
    return email.strip().lower()


def _scope(role: str, region: str | None, initiative: str | None) -> dict:
    if role == Role.Kind.REGIONAL_CONTACT:
        if not region or initiative:
            raise CommandError("regional_contact takes --region SLUG (and no --initiative)")
        found = Region.objects.filter(slug=region, kind=Region.Kind.REGION).first()
        if found is None:
            raise CommandError(f"no Region with the slug {region!r} (a Region, not a Kreis)")
        return {"region": found}
    if role == Role.Kind.CLUSTER_MANAGER:
        if not initiative or region:
            raise CommandError("cluster_manager takes --initiative SLUG (and no --region)")
        found = ClusterInitiative.objects.filter(slug=initiative).first()
        if found is None:
            raise CommandError(f"no initiative with the slug {initiative!r}")
        return {"initiative": found}
    if region or initiative:
        raise CommandError(f"{role} takes neither --region nor --initiative")
    return {}


def _organisation(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"no organisation with the slug {slug!r}")
    return found


def _describe(role: str, scope: dict) -> str:
    target = scope.get("region") or scope.get("initiative")
    described = f"{role} of {target.slug}" if target else role
    if scope.get("organisation"):
        described += f" (organisation {scope['organisation'].slug})"
    return described


def _account(email: str):
    """The account with this e-mail address, made (verified, no password) if missing."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(username=_username(email), email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # The operator vouches for the address; allauth would otherwise ask to verify it.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def _username(email: str) -> str:
    """Django's user needs a unique username; allauth logs in by e-mail, so derive one."""
    User = get_user_model()
    base = email[:140]
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate
