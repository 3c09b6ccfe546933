"""Security middleware: a strict Content-Security-Policy and admin login throttling.

No models here. The throttle counts failed logins per client address in the
cache; after `LOGIN_FAILURE_LIMIT` failures within `LOGIN_FAILURE_WINDOW`
seconds further login attempts get 429 until the window has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

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


def _client(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _key(request: HttpRequest | None) -> str:
    return f"login-failures:{_client(request)}"


@receiver(user_login_failed)
def _count_failure(
    sender: Any, credentials: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    key = _key(request)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


@receiver(user_logged_in)
def _reset_failures(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    cache.delete(_key(request))


class LoginThrottleMiddleware:
    """Answer 429 to login POSTs from an address with too many recent failures."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.rstrip("/").endswith("/login"):
            failures = cache.get(_key(request), 0)
            if failures >= settings.LOGIN_FAILURE_LIMIT:
                return HttpResponse(
                    gettext(
                        "Zu viele fehlgeschlagene Anmeldungen von dieser Adresse; bitte später erneut versuchen."
                    ),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                    headers={"Retry-After": str(settings.LOGIN_FAILURE_WINDOW)},
                )
        return self.get_response(request)
