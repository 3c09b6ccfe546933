"""The portal's first content (data/content/articles.json): news, a Thema des Monats and the
fixed pages, written from the ministry's pages (docs/content.md names them).

Idempotent, and editors' changes win: each row remembers the fingerprint of the shipped text
it was loaded from; a row whose text differs from that fingerprint was edited and is kept
unless `update` is given. Tags are looked up in the registry by name, Regionen by their
official code; a name the registry lacks is reported, not invented.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from django.db import transaction

from clusterportal.content.models import Article
from clusterportal.lib.loading import LoadReport
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

FILE = Path("content/articles.json")
TEXT_FIELDS = ["kind", "title", "title_en", "teaser", "teaser_en", "body", "body_en",
               "source_name", "source_url", "is_archive"]  # fmt: skip
SHIPPED_AUTHOR = "Redaktion Clusterportal"


def fingerprint(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _current(article: Article) -> dict:
    return {name: getattr(article, name) for name in TEXT_FIELDS}


def _initiatives(names: list[str], report: LoadReport) -> list[ClusterInitiative]:
    found = []
    for name in names:
        matches = list(ClusterInitiative.objects.filter(name__icontains=name)[:2])
        if len(matches) == 1:
            found.append(matches[0])
        else:
            # Not a rejection: the article loads untagged (test_loading checks the shipped names).
            report.unmatched.append(name)
    return found


def load_articles(data_dir: Path, update: bool = False) -> LoadReport:
    report = LoadReport("content articles")
    report.unmatched = []  # type: ignore[attr-defined]
    rows = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    for row in rows:
        shipped = {name: row.get(name, "") for name in TEXT_FIELDS}
        shipped["is_archive"] = bool(row.get("is_archive"))
        shipped_print = fingerprint(shipped)
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(slug=row["slug"]).first()
            created = article is None
            if created:
                day = row.get("event_date")
                article = Article(
                    slug=row["slug"],
                    status=Article.Status.PUBLISHED,
                    author_name=SHIPPED_AUTHOR,
                    # No date in the source: none on the article either.
                    published_on=datetime.date.fromisoformat(day) if day else None,
                )
            elif article.loaded_fingerprint == shipped_print:
                report.count(created=False, changed=False)
                continue
            elif fingerprint(_current(article)) != article.loaded_fingerprint and not update:
                report.kept += 1  # edited in the portal since it was loaded
                continue
            for name, value in shipped.items():
                setattr(article, name, value)
            article.loaded_fingerprint = shipped_print
            article.full_clean()
            article.save()
            if created or update:
                article.initiatives.set(_initiatives(row.get("initiatives", []), report))
                article.technology_fields.set(
                    TechnologyField.objects.filter(slug__in=row.get("technology_fields", []))
                )
                article.regions.set(Region.objects.filter(code__in=row.get("regions", [])))
            report.count(created=created, changed=not created)
    return report
