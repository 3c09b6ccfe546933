"""A write that cannot get the database's write lock in time answers 503 "busy", not 500.

SQLite lets one writer at a time; a second writer waits up to the busy timeout
(settings.DB_BUSY_TIMEOUT, a second or two) and then fails with "database is
locked". PostgreSQL fails the same way when a lock_timeout is set (SQLSTATE
55P03). Either is no error of the request: the person may simply send it again
in a moment, so they get a clear message and a Retry-After, and the error is not
logged as a crash.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Seconds a client is asked to wait before it sends the request again.
RETRY_AFTER = 5
_SQLITE_BUSY = ("database is locked", "database table is locked")
_POSTGRES_LOCK_NOT_AVAILABLE = "55P03"


def is_busy(error: BaseException) -> bool:
    """The database refused a lock within its timeout (not a broken query or connection)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "pgcode", None) == _POSTGRES_LOCK_NOT_AVAILABLE:
        return True
    return str(error).startswith(_SQLITE_BUSY)


def busy_response(request: HttpRequest) -> HttpResponse:
    """The page for people: both languages, like 500.html (it needs no database)."""
    response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


class BusyDatabaseMiddleware:
    """Turns a lock timeout of any view into the 503 "busy" page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exception) else None
