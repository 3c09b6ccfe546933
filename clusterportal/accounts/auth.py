"""Personal API tokens for django-ninja: `Authorization: Bearer <token>`.

A missing, unknown or revoked token is a 401 in the API's one error shape; the
reason names which, so a script's author knows whether to make a new token.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from clusterportal.accounts.models import ApiToken
from clusterportal.lib.api import ApiError


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiError(
                401,
                "Authentication required: send 'Authorization: Bearer <token>'.",
                code="not_authenticated",
            )
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        )
        if found is None:
            raise ApiError(401, "Unknown API token.", code="invalid_token")
        if found.revoked_at is not None:
            raise ApiError(401, "This API token was revoked.", code="token_revoked")
        if not found.user.is_active:
            raise ApiError(401, "The account of this API token is disabled.", code="invalid_token")
        # At most one write a minute per token: the column is for people, not for audits.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
