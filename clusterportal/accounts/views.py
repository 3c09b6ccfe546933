"""The account page (roles, API tokens), accepting an invitation, personal data
(download, deleting the account, the privacy page); the public pages of the regional
cluster contacts, a person's consent to appear there, and a cluster management's
yearly "Profil bestätigen" (contacts.py, privacy.py, docs/admission.md, docs/privacy.md).

Login, sign-up, e-mail verification, password reset, login by e-mail code and
TOTP are django-allauth's pages under /konto/ (templates/allauth/ fits them into
the portal's layout; templates/account/ and templates/mfa/ replace the pages a newcomer
meets first: login, sign-up, password reset, login code, TOTP set-up).
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clusterportal.accounts import contacts, privacy
from clusterportal.accounts.models import (
    ApiToken,
    ContactProfile,
    Invitation,
    InvitationClosed,
    Role,
)
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative


@login_required
def home(request):
    roles = list(request.user.roles.select_related("region", "initiative"))
    context = {
        "roles": roles,
        "managed": [role.initiative for role in roles if role.initiative_id],
        # Curators and regional contacts decide on requests: the account page links them there.
        "reviews_requests": any(role.kind != Role.Kind.CLUSTER_MANAGER for role in roles),
        "contact_profile": ContactProfile.objects.filter(user=request.user).first(),
        "can_publish_contact": request.user.has_perm("accounts.publish_contact_details"),
        "tokens": request.user.api_tokens.all(),
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def create_token(request):
    name = request.POST.get("name", "").strip()
    if len(name) > 100:
        messages.error(request, _("Der Zweck darf höchstens 100 Zeichen lang sein."))
        return redirect("accounts:home")
    _token, secret = ApiToken.issue(request.user, name)
    # Shown once on the next page, then gone: only its hash is stored.
    request.session["new_api_token"] = secret
    return redirect("accounts:home")


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Das Token %(hint)s… ist widerrufen.") % {"hint": token.hint})
    return redirect("accounts:home")


def accept_invitation(request, key: str):
    invitation = Invitation.objects.filter(key=key).first()
    if invitation is None:
        raise Http404
    if not invitation.is_open:
        return render(request, "accounts/invitation.html", {"invitation": invitation}, status=410)
    if not request.user.is_authenticated or request.method != "POST":
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if request.user.email.lower() != invitation.email.lower():
        messages.error(
            request,
            _("Diese Einladung gilt für %(email)s. Bitte mit dieser Adresse anmelden.")
            % {"email": invitation.email},
        )
        return render(request, "accounts/invitation.html", {"invitation": invitation}, status=403)
    try:
        invitation.accept(request.user)
    except InvitationClosed:
        return render(request, "accounts/invitation.html", {"invitation": invitation}, status=410)
    messages.success(request, _("Die Rolle ist Ihrem Konto zugeordnet."))
    return redirect("accounts:home")


# The regional cluster contacts (public) --------------------------------------------


def region_contacts_index(request):
    context = {
        "regions": contacts.all_region_contacts(),
        "curators": contacts.curators(),
        "curators_anchor": contacts.CURATORS_ANCHOR,
    }
    return render(request, "accounts/region_contacts_index.html", context)


def region_contacts(request, slug: str):
    region = get_object_or_404(
        Region.objects.without_boundaries(), slug=slug, kind=Region.Kind.REGION
    )
    people = contacts.region_contacts(region)
    context = {
        "region": region,
        "contacts": people,
        # Who to write to instead, only when the Region has nobody listed.
        "curators": [] if people else contacts.curators(),
        "initiatives": ClusterInitiative.objects.published().filter(region=region).count(),
    }
    return render(request, "accounts/region_contacts.html", context)


# A person's public contact details and consent -------------------------------------


@login_required
def contact_details(request):
    if not request.user.has_perm("accounts.publish_contact_details"):
        raise PermissionDenied
    profile = contacts.contact_profile_of(request.user)
    form = contacts.ContactDetailsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        if profile.is_public:
            messages.success(request, _("Ihre Kontaktangaben sind gespeichert und öffentlich."))
        else:
            messages.success(
                request, _("Ihre Kontaktangaben sind gespeichert, aber nicht öffentlich.")
            )
        return redirect("accounts:contact_details")
    context = {"form": form, "profile": profile, "consent_version": contacts.CONSENT_VERSION}
    return render(
        request, "accounts/contact_details.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def withdraw_consent(request):
    """Open to every account (a former contact too): withdrawing must never be harder than giving."""
    profile = ContactProfile.objects.filter(user=request.user).first()
    if profile is not None and profile.is_public:
        profile.withdraw_consent()
    messages.success(
        request,
        _("Ihre Einwilligung ist widerrufen; Ihre Kontaktangaben sind nicht mehr öffentlich."),
    )
    return redirect("accounts:home")


# Yearly re-confirmation of a profile -----------------------------------------------


@login_required
@require_POST
def confirm_profile(request, slug: str):
    initiative = get_object_or_404(ClusterInitiative.objects.published(), slug=slug)
    if not request.user.has_perm("registry.propose_change", initiative):
        raise PermissionDenied
    initiative.confirm(by=request.user)
    messages.success(
        request,
        _("Sie haben bestätigt, dass das Profil „%(name)s“ aktuell ist.")
        % {"name": initiative.name},
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("accounts:home")


# Personal data (accounts/privacy.py, docs/privacy.md)


@login_required
@never_cache
def download_data(request):
    data = privacy.personal_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"clusterportal-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Ja, mein Konto und die oben genannten Angaben sollen gelöscht werden."),
        required=True,
    )


@login_required
@reauthentication_required(allow_get=True)
def delete_account(request):
    # GET shows what goes and what stays; the POST needs a fresh password or e-mail
    # code (allauth's reauthentication, which then repeats this POST).
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user)
        messages.success(request, _("Ihr Konto ist gelöscht."))
        return redirect("registry:list")
    context = {"form": form, "warnings": privacy.responsibilities(request.user)}
    return render(request, "accounts/delete.html", context, status=400 if form.errors else 200)


def privacy_notice(request, operator_name: str = "", operator_email: str = ""):
    """The privacy page. The portal app passes its publisher's name (portal/views.py)
    where the settings name no operator."""
    context = {
        "operator_name": settings.OPERATOR_NAME or operator_name,
        "privacy_contact": settings.PRIVACY_CONTACT,
        "operator_email": operator_email,
        "login_window_minutes": max(1, settings.LOGIN_FAILURE_WINDOW // 60),
    }
    return render(request, "accounts/privacy.html", context)
