"""The admin site's titles (the ModelAdmins live in each app's admin.py)."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

admin.site.site_header = format_lazy("{} – {}", settings.PORTAL_NAME, _("Backoffice"))
admin.site.site_title = _("Backoffice")
admin.site.index_title = _("Daten der Clusterdatenbank pflegen")
