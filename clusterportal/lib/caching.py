"""Rendered responses, kept per data version.

A public list page or API list is a pure function of the request (path and
query string, language, host, release) and of the data it shows. When that data
has a data version that changes with every write to it, from any program
(lib/versioning.py), a body rendered once can be sent again until the version
moves. The version is part of the key, so nothing is ever invalidated by hand;
old entries are culled by size. The registry's initiative list (page and API)
uses it.

The cache is Django's cache "responses" (settings.CACHES): per process by
default, shareable between servers by pointing it at Redis or Memcached.
Only complete 200 responses are kept, and only for visitors who are not
signed in and have no message waiting (one is shown on the next page): a
signed-in person's page has their own header (their account link) and, on some
pages, actions of their roles. Nothing personal is on the cached pages (no user
names, no messages, no CSRF tokens: their forms are GET forms).

Export files (`kept_file`) are kept the same way in the cache "exports", for
everyone: a file holds the data only, nothing of the person who asks. A file
costs a hundred times a page to make (the XLSX of the whole registry about
0.1 s of CPU, 0.5 s under load), so that cache holds a few files, each up to
KEPT_FILE_MAX_BYTES: a bigger one is made again on each request (and the
export rate limit, lib/throttle.py, bounds how often).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from clusterportal.lib.api import RELEASE


def cache_key(request: HttpRequest, kind: str, version: tuple[object, ...]) -> str:
    parts = (
        RELEASE,
        kind,
        version,
        translation.get_language(),
        request.build_absolute_uri(request.get_full_path()),
    )
    return "list:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    # A message for this visitor ("Sie haben sich abgemeldet." after signing out) is rendered
    # into whatever page comes next: that page is neither taken from the cache nor kept.
    # Without a message cookie or session, reading the storage costs nothing.
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: no session lookup needed.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def cached_response(
    request: HttpRequest,
    kind: str,
    version: tuple[object, ...],
    respond: Callable[[], HttpResponse],
    response: HttpResponse | None = None,
) -> HttpResponse:
    """`respond()`, or the body it gave for the same request, `kind` and data version.

    `kind` names what is cached ("list-page"); `version` identifies the data the
    response is made of, e.g. (database alias, number, token) of a data version.
    `response` is the response to fill on a hit (the API's, with its headers set);
    otherwise a new one is made.
    """
    if not settings.RESPONSE_CACHE_ENTRIES or _signed_in(request) or _has_messages(request):
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


KEPT_FILE_MAX_BYTES = 4 * 1024 * 1024


def kept_file(
    request: HttpRequest,
    kind: str,
    version: tuple[object, ...],
    build: Callable[[], bytes],
    chosen: tuple[object, ...] = (),
) -> bytes:
    """`build()`, or the bytes it gave for the same request, `kind`, data version and
    `chosen` (what the request chose beside its URL: the records of a POSTed selection).

    For files that are the same for everyone allowed to fetch them, signed in or not (the
    exports of search results; the import format, which the back office offers to staff
    only). `build` may raise: nothing is kept then.
    """
    if not settings.RESPONSE_CACHE_ENTRIES:
        return build()
    cache = caches["exports"]
    key = cache_key(request, kind, (version, chosen))
    content: bytes | None = cache.get(key)
    if content is None:
        content = build()
        if len(content) <= KEPT_FILE_MAX_BYTES:
            cache.set(key, content)
    return content


# A kept page with a POST form holds this where the visitor's CSRF token goes
# (<input name="csrfmiddlewaretoken" value="{{ form_token }}">); with_csrf_token puts
# each visitor's own token there, so the page can be kept although the token is personal.
CSRF_PLACEHOLDER = "csrf-token-of-this-visitor"


def with_csrf_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The page with this visitor's CSRF token for the placeholder; `get_token` also has the
    CSRF middleware set the visitor's cookie on the response."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.streaming and placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response
