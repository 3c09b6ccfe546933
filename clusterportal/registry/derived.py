"""Derived state of the registry that follows every write, whatever the caller.

Member counts (`listed_members`, `listed_companies`) and the folded search
columns of an initiative depend on other rows: its memberships and their
organisations' kind, its technology fields, its Region and Kreis. Callers used
to refresh them (the admin, the importers), so a plain `Membership.objects.create()`
or a renamed technology field left them wrong. Here the signals of those rows
refresh them: `post_save`, `post_delete` (sent by queryset deletes too) and
`m2m_changed`. The bulk paths that send no signal (`bulk_create`, `update`) are
covered by the querysets in models.py, which call the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from clusterportal.regions.models import Region
from clusterportal.taxonomy.models import TechnologyField

CHUNK = 5000


def recount_members(initiative_ids: Iterable[int]) -> None:
    from clusterportal.registry.models import ClusterInitiative

    ids = sorted(set(initiative_ids))
    for start in range(0, len(ids), CHUNK):  # SQLite limits the parameters of one statement
        ClusterInitiative.objects.filter(pk__in=ids[start : start + CHUNK]).recount_members()


def refresh_search_text(initiatives) -> None:
    for initiative in initiatives.select_related("region__parent", "seat_kreis").distinct():
        initiative.refresh_search_text()


def refresh_stale_search_text() -> int:
    """Rewrite the search columns that the current rules of search.py would write otherwise
    (after an upgrade that changed them); `load_data` calls it, so `make run` brings an
    existing database up to date. `updated_at` stays: the record itself did not change.
    Returns how many initiatives were rewritten."""
    from clusterportal.registry import search
    from clusterportal.registry.models import ClusterInitiative

    rewritten = 0
    for initiative in ClusterInitiative.objects.select_related("region__parent", "seat_kreis"):
        current = initiative.current_search_columns()
        if any(getattr(initiative, column) != value for column, value in current.items()):
            ClusterInitiative.objects.filter(pk=initiative.pk).update(**current)
            search.index_words([current[c] for c in search.WEIGHTS])  # new words for typos
            rewritten += 1
    return rewritten


def _remember_initiative(sender, instance, **kwargs) -> None:
    """Before a save: the stored initiative, since a membership may move to another one."""
    stored = None
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).values_list("initiative_id", flat=True)
        stored = stored.first()
    instance._stored_initiative = stored


def _membership_changed(sender, instance, **kwargs) -> None:
    moved_from = instance.__dict__.pop("_stored_initiative", None)
    recount_members({instance.initiative_id, moved_from} - {None})


def _organisation_saved(sender, instance, created, **kwargs) -> None:
    # A company that becomes a research institute changes the companies count.
    if not created:
        recount_members(instance.memberships.values_list("initiative_id", flat=True))


def _fields_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    from clusterportal.registry.models import ClusterInitiative

    if reverse and action == "pre_clear":  # field.initiatives.clear(): note who loses it
        instance._initiatives_cleared = list(instance.initiatives.values_list("pk", flat=True))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        instance.refresh_search_text()
        return
    ids = pk_set if action != "post_clear" else instance.__dict__.pop("_initiatives_cleared", [])
    refresh_search_text(ClusterInitiative.objects.filter(pk__in=ids or []))


def _names(instance) -> tuple[str, str]:
    return (instance.name, instance.name_en)


def _remember_names(sender, instance, **kwargs) -> None:
    """Before a save: the names as stored, so that only a rename refreshes the search text."""
    if instance.pk is None:
        instance._stored_names = None
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("name", "name_en").first()
    instance._stored_names = tuple(stored) if stored else None


def _renamed(instance) -> bool:
    stored = instance.__dict__.pop("_stored_names", None)
    return stored is not None and stored != _names(instance)


def _field_saved(sender, instance: TechnologyField, created, **kwargs) -> None:
    from clusterportal.registry.models import ClusterInitiative

    if not _renamed(instance):
        return
    # The field's own initiatives, and those of its children (the parent's name is indexed too).
    refresh_search_text(
        ClusterInitiative.objects.filter(
            Q(technology_fields=instance) | Q(technology_fields__parent=instance)
        )
    )


def _region_saved(sender, instance: Region, created, **kwargs) -> None:
    from clusterportal.registry.models import ClusterInitiative

    if not _renamed(instance):
        return
    refresh_search_text(
        ClusterInitiative.objects.filter(Q(region=instance) | Q(seat_kreis=instance))
    )


def connect() -> None:
    """Called once from RegistryConfig.ready()."""
    from clusterportal.registry.models import ClusterInitiative, Membership, Organisation

    pre_save.connect(_remember_initiative, sender=Membership, dispatch_uid="members-moving")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="members-saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="members-deleted")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="org-saved")
    m2m_changed.connect(
        _fields_changed,
        sender=ClusterInitiative.technology_fields.through,
        dispatch_uid="initiative-fields",
    )
    for model, saved in ((TechnologyField, _field_saved), (Region, _region_saved)):
        pre_save.connect(_remember_names, sender=model, dispatch_uid=f"{model.__name__}-names")
        post_save.connect(saved, sender=model, dispatch_uid=f"{model.__name__}-renamed")
