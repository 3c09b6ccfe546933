"""Security middleware: a strict Content-Security-Policy on every response, and no NUL
character past the edge.

No models here. Login throttling is not here: allauth counts failed logins per
account and client in the shared cache (accounts/adapter.py), and the admin logs
in through allauth (clusterportal/admin.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_plus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from clusterportal.lib.api import error_response, invalid

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
    query string, the cookies, a form body (also multipart: its text fields) and a JSON body.
    Uploaded files are checked by the code that reads them (lib/tables.py names the row and
    column). The API's answers name the query parameters and JSON fields, in the shapes of
    its other 400s.

    400, not 404: no address, parameter or record of the portal can contain a NUL, so
    such a request is malformed, not a question about a page that might exist; 400 is
    also what Django answers to other malformed requests (a bad Host header).
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            found = nul_in_request(request)
        except RequestDataTooBig:
            found = None  # the view answers that (the API with its 413)
        if found is None:
            return self.get_response(request)
        where, fields = found
        if not request.path.startswith("/api/"):
            return render(request, "400.html", status=400)
        if where == "query":
            return invalid(fields).response()  # as lib.api.checked_query names them
        if where == "body":
            return error_response(
                400,
                f"The body contains a NUL character in: {', '.join(fields)}.",
                code="invalid_fields",
                fields=fields,
            )
        return error_response(400, f"The request contains a NUL character (%00) in {where}.")


NUL_REASON = "Contains a NUL character."
Found = tuple[str, dict[str, list[str]]]


def nul_in_request(request: HttpRequest) -> Found | None:
    """Where a request carries a NUL character (in English, for the API) and in which
    fields (query parameters, JSON keys), or None."""
    if "\x00" in request.path:
        return "its path", {}
    query = QueryDict(request.META.get("QUERY_STRING", ""))
    named = {name: [NUL_REASON] for name, values in query.lists() if _has_nul([name, *values])}
    if named:
        return "query", named
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return "a cookie", {}
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.endswith("urlencoded"):
        if "\x00" in unquote_plus(request.body.decode("latin-1")):
            return "the form data", {}
    elif request.method == "POST" and content_type == "multipart/form-data":
        # Parsed here instead of in the CSRF check (the files are checked where they are read).
        if any(_has_nul([name, *values]) for name, values in request.POST.lists()):
            return "the form data", {}
    elif content_type == "application/json" and b"\\u0000" in request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            return None  # not JSON at all: the view answers that
        # Django's own wording, as a form field with a NUL says it.
        keys = sorted(key for key in _nul_keys(body, ""))
        if keys:
            return "body", {key: ["Null characters are not allowed."] for key in keys}
    return None


def _has_nul(values: list[str]) -> bool:
    return any("\x00" in value for value in values)


def _nul_keys(value: Any, path: str) -> Iterator[str]:
    """The dotted paths in a JSON value whose key or text holds a NUL (`body` for the top)."""
    if isinstance(value, str) and "\x00" in value:
        yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield from ([inner] if "\x00" in str(key) else _nul_keys(item, inner))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_keys(item, f"{path}.{index}" if path else str(index))
