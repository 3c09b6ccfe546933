"""A call's closing time (`Call.closes_at`, its last deadline) follows its deadlines,
whatever writes them: the admin's inline, an import, a plain create() or delete() (the
signals here) and the bulk paths (DeadlineQuerySet). See docs/adding-an-app.md."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clusterportal.calls.models import Call, Deadline


@receiver(post_save, sender=Deadline, dispatch_uid="calls_deadline_saved")
@receiver(post_delete, sender=Deadline, dispatch_uid="calls_deadline_deleted")
def _deadline_changed(sender, instance: Deadline, **kwargs) -> None:
    call = Call.objects.filter(pk=instance.call_id).first()
    if call is not None:  # gone with its call (a cascade)
        call.refresh_closes_at()
