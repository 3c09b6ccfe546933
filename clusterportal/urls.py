from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from clusterportal.accounts.urls import contact_urlpatterns
from clusterportal.api import api, unknown_path
from clusterportal.portal import views as portal_views
from clusterportal.portal.sitemaps import SITEMAPS

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The API has no language prefix; its language follows Accept-Language.
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_path),
    # One sitemap for both languages: each entry names its German and English address.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    # Uploaded images and publication files (checked on upload, content/images.py).
    re_path(r"^media/(?P<path>(?:content|publications)/.+)$", portal_views.media, name="media"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # django-allauth: login, sign-up, verification, password reset, e-mail codes, TOTP.
    path("konto/", include("allauth.urls")),
    path("konto/uebersicht/", include("clusterportal.accounts.urls")),
    path("datenschutz/", portal_views.privacy, name="privacy"),
    path("atlas/", include("clusterportal.atlas.urls")),
    path("", include("clusterportal.sitesearch.urls")),
    path("veranstaltungen/", include("clusterportal.events.urls")),
    path("foerderung/", include("clusterportal.calls.urls")),
    # The ClusterAgentur's services: catalogue, requests, the staff dashboard.
    path("leistungen/", include("clusterportal.services.urls")),
    # Internationalisation: partner countries, the world map, BW's exports by country.
    path("international/", include("clusterportal.international.urls")),
    # Partner search: postings, following, interest, outcomes (docs/partnersearch.md).
    path("partnersuche/", include("clusterportal.partnersearch.urls")),
    # Cross-clustering: the network of initiatives by shared and related fields.
    path("vernetzung/", include("clusterportal.matching.urls")),
    # 1:1 meetings at events with matchmaking switched on (docs/matchmaking.md).
    path("matchmaking/", include("clusterportal.matchmaking.urls")),
    # Before the registry, whose profile route cluster/<slug>/ would take these words.
    path("cluster/aufnahme/", include("clusterportal.changes.admission_urls")),
    path("cluster/kontakte/", include((contact_urlpatterns, "contacts"))),
    # Change requests: cluster/antraege/..., cluster/<slug>/bearbeiten/ and the like.
    path("cluster/", include("clusterportal.changes.urls")),
    path("", include("clusterportal.content.urls")),
    path("", include("clusterportal.portal.urls")),
    path("", include("clusterportal.registry.urls")),
    prefix_default_language=False,
)
