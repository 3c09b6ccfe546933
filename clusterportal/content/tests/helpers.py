from __future__ import annotations

import datetime

from clusterportal.content.models import Article
from clusterportal.registry.models import ClusterInitiative
from clusterportal.tests.personas import CARS, TEXTILES


def article(slug="probe", *, status=Article.Status.PUBLISHED, kind=Article.Kind.NEWS, **values):
    values.setdefault("title", f"Titel {slug}")
    values.setdefault("body", "Text")
    values.setdefault("published_on", datetime.date(2024, 5, 6))
    return Article.objects.create(slug=slug, status=status, kind=kind, **values)


def textiles() -> ClusterInitiative:
    return ClusterInitiative.objects.get(slug=TEXTILES)


def cars() -> ClusterInitiative:
    return ClusterInitiative.objects.get(slug=CARS)
