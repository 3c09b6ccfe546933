"""Two-factor login (TOTP) is mandatory for staff: curators, regional contacts, is_staff.

Their accounts see personal data of others and decide what the registry publishes, so a
stolen password alone must not be enough. The middleware sends such a person, once
signed in and as long as they have no TOTP authenticator (allauth.mfa), to the TOTP
activation page, whatever page they ask for, except:

* allauth's own pages (login, logout, e-mail, password, reauthentication, the MFA pages
  themselves), so that they can set up TOTP and leave;
* static files, the language switch, and the JSON API (its tokens are a separate way in,
  docs/api.md).

Once TOTP is set up, allauth asks for a code at every login (its MFA stage).
Cluster managers and registered users may set up TOTP but are not made to.

Cost: a session in which the person logged in with TOTP, or set it up, is marked (allauth's
signals), and costs no query; otherwise a signed-in request reads the person's roles (the
rules read them anyway, once per request) and, for staff, whether TOTP is set up.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_used
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterportal.accounts.rules import is_staff_role

Handler = Callable[[HttpRequest], HttpResponse]

# Paths (without language prefix) that never ask for the second factor.
EXEMPT_PREFIXES = ("/api/", "/i18n/")
# In the session: the account that logged in with TOTP or set it up in this session.
SESSION_KEY = "clusterportal_totp_user"


@receiver(authenticator_used)
@receiver(authenticator_added)
def _mark_session(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    if request is not None and authenticator is not None:
        if authenticator.type == Authenticator.Type.TOTP:
            request.session[SESSION_KEY] = user.pk


@receiver(authenticator_removed)
def _unmark_session(sender, request=None, authenticator=None, **kwargs) -> None:
    if request is not None and authenticator is not None:
        if authenticator.type == Authenticator.Type.TOTP:
            request.session.pop(SESSION_KEY, None)


def requires_two_factor(user) -> bool:
    """A staff person without a TOTP authenticator."""
    if not user.is_authenticated:
        return False
    if not (user.is_staff or is_staff_role(user)):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


def _exempt(request: HttpRequest, view_func: Callable) -> bool:
    if request.path.startswith(EXEMPT_PREFIXES) or request.path.startswith(
        "/" + settings.STATIC_URL.lstrip("/")
    ):
        return True
    # allauth's pages, whatever language prefix or URL they are mounted under.
    return getattr(view_func, "__module__", "").startswith("allauth.")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args, kwargs):
        if _exempt(request, view_func) or not request.user.is_authenticated:
            return None
        if request.session.get(SESSION_KEY) == request.user.pk:
            return None
        if not requires_two_factor(request.user):
            return None
        messages.warning(
            request,
            _(
                "Ihr Konto hat eine Rolle mit Zugriff auf personenbezogene Daten. Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung (TOTP) ein. Fragt das Portal dafür noch einmal nach Ihrem Passwort, ist das Teil der Einrichtung."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
