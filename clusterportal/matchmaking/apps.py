from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "clusterportal.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")
    # The event page (kept in the response cache per data version "events") links to the
    # matchmaking when it is switched on: switching it moves that version.
    watched_tables = {"events": ["matchmaking_matchmaking"]}

    def ready(self) -> None:
        # Registers the permissions with rules (matchmaking/rules.py).
        from clusterportal.matchmaking import rules  # noqa: F401
