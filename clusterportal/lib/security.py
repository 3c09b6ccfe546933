"""Security middleware: a strict Content-Security-Policy on every response, and no NUL
character past the edge.

No models here. Login throttling is not here: allauth counts failed logins per
account and client in the shared cache (accounts/adapter.py), and the admin logs
in through allauth (clusterportal/admin.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterportal.lib.api import error_response

Handler = Callable[[HttpRequest], HttpResponse]

# Scripts and styles only from our own origin: no inline code, no CDN.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character (%00) anywhere a view could read it.

    PostgreSQL cannot hold or even compare a text with NUL ("cannot contain NUL
    characters"), so `/cluster/%00/` crashed with 500 there while SQLite answered 404.
    Checked here, once, before any view or middleware reads the database: the path, the
    query string, the cookies, a form body (also multipart: its text fields) and a JSON body. Uploaded files are checked by
    the code that reads them (lib/tables.py names the row and column).

    400, not 404: no address, parameter or record of the portal can contain a NUL, so
    such a request is malformed, not a question about a page that might exist; 400 is
    also what Django answers to other malformed requests (a bad Host header).
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = nul_in_request(request)
        if where is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return error_response(400, f"The request contains a NUL character (%00) in {where}.")
        return render(request, "400.html", {"where": where}, status=400)


def nul_in_request(request: HttpRequest) -> str | None:
    """Where a request carries a NUL character (in English, for the API), or None."""
    if "\x00" in request.path:
        return "its path"
    if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
        return "its query string"
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return "a cookie"
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.endswith("urlencoded"):
        if "\x00" in unquote_plus(request.body.decode("latin-1")):
            return "the form data"
    elif request.method == "POST" and content_type == "multipart/form-data":
        # Parsed here instead of in the CSRF check (the files are checked where they are read).
        if any("\x00" in name + "".join(values) for name, values in request.POST.lists()):
            return "the form data"
    elif content_type == "application/json" and b"\\u0000" in request.body:
        try:
            if _has_nul(json.loads(request.body)):
                return "the JSON body"
        except ValueError:
            pass  # not JSON at all: the view answers that
    return None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
