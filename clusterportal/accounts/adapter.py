"""How django-allauth counts failed logins here: per account and client, in the shared cache.

allauth counts wrong passwords with its rate limits (settings.ACCOUNT_RATE_LIMITS), kept
in Django's default cache, which is Redis when several servers run (REDIS_URL). Its own
key is the account alone, so anyone could lock a person out by guessing wrong. Here:

* `login_failed`, per key: the account *and* the client address. LOGIN_FAILURE_LIMIT
  wrong passwords lock that account for that client only; the person still logs in
  from elsewhere, and other accounts behind the same proxy are not affected;
* `login_failed`, per ip: one client trying many accounts;
* `login_failed_account`: one account tried from many clients (a ceiling well above
  what a person mistypes).

The client address is allauth's (`ALLAUTH_TRUSTED_PROXY_COUNT` /
`ALLAUTH_TRUSTED_CLIENT_IP_HEADER`, set from TRUSTED_PROXY_COUNT /
TRUSTED_CLIENT_IP_HEADER in settings.py); without a trusted proxy it is REMOTE_ADDR.
A successful login takes its own attempt back (allauth's rollback), so it neither
counts as a failure nor wipes the failures before it. A refused attempt is answered
with the 429 page (templates/429.html) and a Retry-After header, before any password is
checked.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse

# The module allauth's own adapter counts with (it returns the usage that a successful
# login takes back); tests/test_login_throttle.py pins the behaviour we rely on.
from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse

APP = "allauth.account"  # whose RATE_LIMITS setting (ACCOUNT_RATE_LIMITS) applies
ACCOUNT_ACTION = "login_failed_account"


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """The 429 page (the one allauth shows for its other limits), with Retry-After."""
    response = ratelimit.respond_429(request)
    response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
    return response


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's key is the account alone; the client is added (see the module's text).
        return f"{_login(credentials)}|{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt before the password is checked; refuse it with 429 over a limit.

        allauth's own method raises a form error (a 200 page); the attempts are the same.
        """
        per_client = ratelimit.consume(
            request,
            app=APP,
            action="login_failed",
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        per_account = per_client and ratelimit.consume(
            request, app=APP, action=ACCOUNT_ACTION, key=_login(credentials)
        )
        if not per_client or not per_account:
            if per_client:  # refused for the account as a whole: this attempt did not happen
                per_client.rollback()
            raise ImmediateHttpResponse(too_many_attempts(request))
        # Taken back by allauth's authenticate() when the password is right.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=[*per_client.usage, *per_account.usage]
        )

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # After a successful password reset: this client's and the account-wide count.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app=APP, action=ACCOUNT_ACTION, key=_login(credentials))
