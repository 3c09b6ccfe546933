"""The site's own pages: thin views over the publisher, the figures and the feedback form."""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from clusterportal.accounts.views import privacy_notice
from clusterportal.lib import caching, throttle
from clusterportal.lib.language import long_date
from clusterportal.portal import feedback, home_page
from clusterportal.portal.forms import HONEYPOT, FeedbackForm
from clusterportal.portal.models import Publisher

TOO_MANY = gettext_lazy(
    "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Nachrichten. Bitte versuchen Sie es "
    "später erneut oder schreiben Sie uns eine E-Mail."
)


@require_safe
def home(request):
    """Kept rendered for visitors who are not signed in (lib/caching.py, home_page.version)."""
    respond = partial(_render_home, request)
    return caching.cached_response(request, "home", home_page.version(), respond)


def _render_home(request):
    return render(request, "portal/home.html", home_page.context(request))


@require_safe
def imprint(request):
    context = {"publisher": Publisher.current(), "source_code_url": settings.SOURCE_CODE_URL}
    return render(request, "portal/imprint.html", context)


def accessibility(request):
    """The accessibility statement and its feedback form (stored and mailed)."""
    publisher = Publisher.current()
    if request.method == "POST" and request.POST.get(HONEYPOT):
        return redirect("portal:feedback_sent")  # like a success: a bot learns nothing
    form = FeedbackForm(request.POST or None, initial={"page": request.GET.get("seite", "")})
    if request.method == "POST" and not throttle.allowed(request, "feedback"):
        form.add_error(None, TOO_MANY)
        context = {"publisher": publisher, "form": form, "honeypot": HONEYPOT}
        response = render(request, "portal/accessibility.html", context, status=429)
        response["Retry-After"] = str(throttle.retry_after("feedback"))
        return response
    if request.method == "POST" and form.is_valid():
        received = feedback.receive(form.cleaned_data, publisher)
        request.session["feedback_reply_due"] = received.reply_due.isoformat()
        request.session["feedback_reply_wanted"] = bool(received.email)
        return redirect("portal:feedback_sent")
    context = {"publisher": publisher, "form": form, "honeypot": HONEYPOT}
    return render(request, "portal/accessibility.html", context, status=400 if form.errors else 200)


@require_safe
def feedback_sent(request):
    due = request.session.pop("feedback_reply_due", None)
    context = {
        "reply_due": long_date(datetime.date.fromisoformat(due)) if due else "",
        "reply_wanted": request.session.pop("feedback_reply_wanted", False),
        "publisher": Publisher.current(),
    }
    return render(request, "portal/feedback_sent.html", context)


@require_safe
def privacy(request):
    """The privacy notice of the accounts app, naming the publisher as the operator."""
    publisher = Publisher.current()
    if publisher is None:
        return privacy_notice(request)
    return privacy_notice(request, publisher.localized_name, publisher.email)


@require_safe
def easy_language(request):
    return render(request, "portal/easy_language.html", {"publisher": Publisher.current()})


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        # Personal, back-office and per-visitor pages are not for search engines.
        *(f"Disallow: {path}" for path in DISALLOWED),
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


DISALLOWED = ["/admin/", "/konto/", "/en/konto/", "/cluster/antraege/", "/en/cluster/antraege/"]


@require_safe
def media(request, path):
    """Uploaded files, from MEDIA_ROOT only (Django's static.serve refuses paths outside
    it). Served by the app so that `make run` and a plain gunicorn show them; a large
    installation lets its web server serve /media/ instead (docs/operations.md). The
    browser must not guess another type (nosniff), and the site's CSP applies."""
    import posixpath

    from django.http import Http404
    from django.views.static import serve

    if not posixpath.normpath(path).startswith(("content/", "publications/")):
        raise Http404("only uploaded images and publication files")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
@cache_control(max_age=604800, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the same icon as the pages'."""
    path = finders.find("portal/favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
