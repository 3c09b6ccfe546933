"""The postings' search text, kept right whatever writes (docs/adding-an-app.md, "Derived
state"): a posting saved (page, back office, shell), its fields changed, a field or the
posting's initiative renamed."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save

from clusterportal.partnersearch.models import Posting
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField


def _posting_saved(sender, instance: Posting, raw=False, **kwargs) -> None:
    if not raw:
        instance.refresh_search_text()


def _fields_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # field.postings.add(...): the postings named, or all of the field's
        postings = Posting.objects.filter(pk__in=pk_set) if pk_set else instance.postings.all()
    else:
        postings = [instance]
    for posting in postings:
        posting.refresh_search_text()


def _field_saved(sender, instance: TechnologyField, raw=False, **kwargs) -> None:
    if not raw:
        for posting in instance.postings.all():
            posting.refresh_search_text()


def _initiative_saved(sender, instance: ClusterInitiative, raw=False, **kwargs) -> None:
    if not raw:
        for posting in Posting.objects.filter(initiative=instance):
            posting.refresh_search_text()


def connect() -> None:
    post_save.connect(_posting_saved, sender=Posting, dispatch_uid="posting_search_text")
    m2m_changed.connect(
        _fields_changed, sender=Posting.technology_fields.through, dispatch_uid="posting_fields"
    )
    post_save.connect(_field_saved, sender=TechnologyField, dispatch_uid="posting_field_renamed")
    post_save.connect(
        _initiative_saved, sender=ClusterInitiative, dispatch_uid="posting_initiative_renamed"
    )
