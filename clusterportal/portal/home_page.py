"""What the home page shows: who publishes the portal, its key figures with links, and the
ways in. Each part is a few rows or one aggregate, so the page costs a fixed number of
queries whatever the size of the registry (tests/test_home.py counts them); for visitors
who are not signed in it is kept rendered per `version()`."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from clusterportal.atlas.models import Edition
from clusterportal.content.models import Article
from clusterportal.events.models import Event, next_end
from clusterportal.lib import versioning
from clusterportal.portal.models import Publisher
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative

Kind = ClusterInitiative.Kind


def figures(user) -> dict[str, int]:
    """Published entries by kind, the Regionen, the atlas editions (one query each)."""
    counts = ClusterInitiative.objects.published().aggregate(
        initiatives=Count("pk", filter=Q(kind=Kind.CLUSTER_INITIATIVE)),
        networks=Count("pk", filter=Q(kind=Kind.STATEWIDE_NETWORK)),
        agencies=Count("pk", filter=Q(kind=Kind.STATE_AGENCY)),
    )
    counts["regionen"] = Region.objects.filter(kind=Region.Kind.REGION).count()
    counts["editions"] = Edition.objects.visible_to(user).count()
    return counts


def version() -> tuple:
    """What the home page is made of: the data version "home" (apps.py), today's date (an
    article dated ahead appears on its day) and the moment the next event ends (it leaves
    the next events then), though no data changed. The key of the kept page (views.home)."""
    home = versioning.current("home")
    return (home.number, home.token, timezone.localdate(), next_end())


def context(request) -> dict:
    return {
        "publisher": Publisher.current(),
        "figures": figures(request.user),
        "thema": Article.objects.current_thema(),
        "latest_news": list(Article.objects.latest_news(3)),
        "next_events": list(Event.objects.published().upcoming()[:3]),
    }
