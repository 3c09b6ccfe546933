from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerSearchConfig(AppConfig):
    name = "clusterportal.partnersearch"
    label = "partnersearch"
    verbose_name = _("Partnersuche")
