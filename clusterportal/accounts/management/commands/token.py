"""`clusterportal token create EMAIL [--name NAME]`, `token list EMAIL`, `token revoke HINT`.

Prints a new personal API token once (only its hash is stored). See docs/api.md
(authentication) and docs/roles.md.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterportal.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="print a new token for an account")
        create.add_argument("email")
        create.add_argument("--name", default="", help="what the token is for")
        listing = actions.add_parser("list", help="the tokens of an account")
        listing.add_argument("email")
        revoke = actions.add_parser("revoke", help="revoke a token by its beginning")
        revoke.add_argument("hint", help="the token's first 10 characters, as `list` shows")

    def handle(self, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, email, name, **options):
        _token, secret = ApiToken.issue(_user(email), name[:100])
        self.stdout.write(secret)

    def _list(self, email, **options):
        for token in ApiToken.objects.filter(user=_user(email)):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            self.stdout.write(f"{token.hint}  {token.created_at:%Y-%m-%d}  {state}  {token.name}")

    def _revoke(self, hint, **options):
        tokens = list(ApiToken.objects.active().filter(hint=hint))
        if len(tokens) != 1:
            raise CommandError(f"no single active token begins with {hint!r}")
        tokens[0].revoke()
        self.stdout.write(f"revoked {hint}")


def _user(email: str):
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"no account with the e-mail address {email}")
    return user
