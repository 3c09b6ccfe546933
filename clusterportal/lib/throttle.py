"""Limits on the public forms anyone may send (an event registration, accessibility
feedback) and on the exports anyone may fetch, per client address, in the rates of settings.PUBLIC_RATE_LIMITS.

The counting is allauth's (the login throttle counts with it too, accounts/adapter.py):
the same cache (Redis when REDIS_URL is set, shared by every server), the same client
address (settings.TRUSTED_PROXY_COUNT) and the same rate syntax ("20/10m/ip"). No second
rate-limit library for two forms and the exports.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit  # type: ignore[import-untyped]
from django.conf import settings
from django.http import HttpRequest

from clusterportal.lib.env import ImproperSetting

APP = "clusterportal"


def allowed(request: HttpRequest, action: str) -> bool:
    """Count this attempt; False when the client has used up the rate for `action`."""
    if action not in settings.PUBLIC_RATE_LIMITS:
        raise ImproperSetting(f"PUBLIC_RATE_LIMITS has no rate for {action!r}")
    # GETs count too (allauth counts POSTs only by default): an export is a GET.
    usage = ratelimit.consume(
        request, app=APP, action=action, config=settings.PUBLIC_RATE_LIMITS, limit_get=True
    )
    return usage is not None


def retry_after(action: str) -> int:
    """Seconds after which the longest window of the rate has passed (Retry-After)."""
    rates = ratelimit.parse_rates(settings.PUBLIC_RATE_LIMITS[action])
    return int(max(rate.duration for rate in rates))
