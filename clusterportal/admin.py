"""The back office's site: its titles, who may enter, and its login.

The ModelAdmins live in each app's admin.py and ask the rules of accounts/rules.py.
Who may enter follows the same rules: staff status or a staff role (curator, regional
contact). The site has no login form of its own: its login page sends the person to
allauth's (/konto/login/?next=...), so that every password is checked in one place,
with the login throttle and the second factor (accounts/adapter.py,
accounts/two_factor.py). A signed-in person who may not enter gets 403.

settings.INSTALLED_APPS names clusterportal.apps.PortalAdminConfig, which makes this
site Django's `admin.site`.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clusterportal.accounts.rules import is_staff_role


class PortalAdminSite(admin.AdminSite):
    site_header = format_lazy("{} – {}", settings.PORTAL_NAME, _("Backoffice"))
    site_title = _("Backoffice")
    index_title = _("Daten der Clusterdatenbank pflegen")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or is_staff_role(user))

    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = index
        if not request.user.is_authenticated:
            return redirect_to_login(target, settings.LOGIN_URL)
        if not self.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(target)
