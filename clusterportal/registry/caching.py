"""Rendered initiative lists, kept per registry data version.

The list page and the API's initiative list are pure functions of the request
(path and query string, language, host, release) and of the published registry.
The registry changes rarely, and its data version (versioning.py) changes with
every write to what the lists show, from any program: so a body rendered once
can be sent again until the version moves. The version is part of the key, so
nothing is ever invalidated by hand; old entries are culled by size.

The cache is Django's cache "responses" (settings.CACHES): per process by
default, shareable between servers by pointing it at Redis or Memcached.
Only complete 200 responses are kept, and only for visitors who are not
signed in: a signed-in person's page has their own header (their account
link) and, on some pages, actions of their roles. Nothing personal is on the
cached pages (no user names, no CSRF tokens: their forms are GET forms).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from clusterportal.lib.api import RELEASE


def cache_key(request: HttpRequest, kind: str, version: tuple) -> str:
    parts = (
        RELEASE,
        kind,
        version,
        translation.get_language(),
        request.build_absolute_uri(request.get_full_path()),
    )
    return "list:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: no session lookup needed.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def cached_response(
    request: HttpRequest,
    kind: str,
    version: tuple,
    respond: Callable[[], HttpResponse],
    response: HttpResponse | None = None,
) -> HttpResponse:
    """`respond()`, or the body it gave for the same request and data version.

    `response` is the response to fill on a hit (the API's, with its headers set);
    otherwise a new one is made.
    """
    if not settings.RESPONSE_CACHE_ENTRIES or _signed_in(request):
        return respond()
    cache = caches["responses"]
    key = cache_key(request, kind, version)
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        if response is None:
            return HttpResponse(content, content_type=content_type)
        response.content = content
        response["Content-Type"] = content_type
        return response
    fresh = respond()
    if fresh.status_code == 200 and not fresh.streaming:
        cache.set(key, (fresh.content, fresh["Content-Type"]))
    return fresh
