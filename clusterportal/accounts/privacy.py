"""A person's own data: everything the portal holds about an account, to download or delete.

`personal_data(user)` gathers it as JSON-ready values, section by section (an app that
stores more about people adds its section to SECTIONS, docs/privacy.md). Secrets are
never part of it: no password hash, no TOTP secret, no API token (only its first
characters, which the account page shows as well).

`delete_account(user)` removes the account with its e-mail addresses, second factors,
roles, API tokens and public contact details. What the person did to public records
stays, without their name: their change requests keep their content and lose their
author (and reviewer), the history of public records keeps each change and forgets who
made it (the foreign keys are SET_NULL). `responsibilities(user)` lists what nobody else
keeps once the account is gone, so that the person is warned before deleting.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterportal.accounts.models import ApiToken, ContactProfile, Role
from clusterportal.changes.models import ChangeRequest
from clusterportal.registry.models import ClusterInitiative

FORMAT = "clusterportal-personal-data"
VERSION = 1


def _when(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def _email_addresses(user) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _second_factors(user) -> list[dict[str, Any]]:
    return [
        {
            "type": authenticator.type,
            "created_at": _when(authenticator.created_at),
            "last_used_at": _when(authenticator.last_used_at),
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def _roles(user) -> list[dict[str, Any]]:
    roles = Role.objects.filter(user=user).select_related("region", "initiative")
    return [
        {
            "role": role.kind,
            "region": role.region.slug if role.region else None,
            "initiative": role.initiative.slug if role.initiative else None,
            "granted_at": _when(role.granted_at),
            "granted_by": role.granted_by,
        }
        for role in roles.order_by("granted_at", "pk")
    ]


def _api_tokens(user) -> list[dict[str, Any]]:
    return [
        {
            "hint": token.hint,
            "name": token.name,
            "created_at": _when(token.created_at),
            "last_used_at": _when(token.last_used_at),
            "revoked_at": _when(token.revoked_at),
        }
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _contact_profile(user) -> dict[str, Any] | None:
    profile = ContactProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "organisation": profile.organisation,
        "email": profile.email,
        "phone": profile.phone,
        "consent_given_at": _when(profile.consent_given_at),
        "consent_text": profile.consent_text,
        "shown_publicly": profile.is_public,
    }


def _change_requests(user) -> list[dict[str, Any]]:
    requests = ChangeRequest.objects.filter(author=user).select_related("initiative")
    return [
        {
            "id": request.pk,
            "initiative": request.initiative.slug,
            "kind": request.kind,
            "status": request.status,
            "created_at": _when(request.created_at),
            "updated_at": _when(request.updated_at),
            "changes": request.changes,
            "note": request.note,
            "decided_at": _when(request.decided_at),
            "reason": request.reason,
        }
        for request in requests.order_by("created_at", "pk")
    ]


def _decisions(user) -> list[dict[str, Any]]:
    requests = ChangeRequest.objects.filter(reviewer=user).select_related("initiative")
    return [
        {
            "id": request.pk,
            "initiative": request.initiative.slug,
            "status": request.status,
            "decided_at": _when(request.decided_at),
            "reason": request.reason,
        }
        for request in requests.order_by("decided_at", "pk")
    ]


def _record_changes(user) -> list[dict[str, Any]]:
    history = ClusterInitiative.history.filter(history_user=user)
    return [
        {
            "initiative": slug,
            "at": _when(at),
            "type": {"+": "created", "~": "changed", "-": "deleted"}[kind],
            "reason": reason,
        }
        for slug, at, kind, reason in history.order_by("history_date", "history_id").values_list(
            "slug", "history_date", "history_type", "history_change_reason"
        )
    ]


# (name in the download, reader). An app that stores more about a person adds a section.
SECTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("account", _account),
    ("email_addresses", _email_addresses),
    ("second_factors", _second_factors),
    ("roles", _roles),
    ("api_tokens", _api_tokens),
    ("contact_profile", _contact_profile),
    ("change_requests", _change_requests),
    ("change_request_decisions", _decisions),
    ("public_record_changes", _record_changes),
]


def personal_data(user) -> dict[str, Any]:
    """Everything about `user`, as JSON-ready values (the download of the account page)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _when(timezone.now()),
    }
    for name, read in SECTIONS:
        data[name] = read(user)
    return data


def responsibilities(user) -> list[str]:
    """What nobody else keeps once this account is gone (warnings before deleting)."""
    warnings = []
    roles = Role.objects.filter(user=user).select_related("region", "initiative")
    for role in roles:
        others = Role.objects.filter(kind=role.kind, region=role.region, initiative=role.initiative)
        if others.exclude(user=user).exists():
            continue
        if role.kind == Role.Kind.CLUSTER_MANAGER:
            warnings.append(
                _("Sie pflegen als Einzige(r) das Profil von %(initiative)s.")
                % {"initiative": role.initiative.name}
            )
        elif role.kind == Role.Kind.REGIONAL_CONTACT:
            warnings.append(
                _("Sie sind der einzige regionale Clusterkontakt für %(region)s.")
                % {"region": role.region.localized_name}
            )
        else:
            warnings.append(_("Sie sind die einzige Kuratorin / der einzige Kurator."))
    return warnings


def delete_account(user) -> None:
    """Remove the account and what belongs to it; contributions stay without the name."""
    with transaction.atomic():
        user.delete()
