"""The account page (roles, API tokens) and accepting an invitation.

Login, sign-up, e-mail verification, password reset, login by e-mail code and
TOTP are django-allauth's pages under /konto/ (templates/allauth/ fits them into
the portal's layout).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterportal.accounts.models import ApiToken, Invitation, InvitationClosed


@login_required
def home(request):
    context = {
        "roles": request.user.roles.select_related("region", "initiative"),
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
