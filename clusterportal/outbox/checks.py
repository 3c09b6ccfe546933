"""Start-up check of the mail settings (docs/mail.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from clusterportal.outbox.backends import OutboxBackend


@register()
def delivery_backend(app_configs, **kwargs):
    path = settings.OUTBOX_DELIVERY_BACKEND
    try:
        backend = import_string(path)
    except ImportError as error:
        return [
            Error(
                f"OUTBOX_DELIVERY_BACKEND={path!r} cannot be imported: {error}",
                id="outbox.E001",
            )
        ]
    if isinstance(backend, type) and issubclass(backend, OutboxBackend):
        return [
            Error(
                "OUTBOX_DELIVERY_BACKEND must be a backend that sends (SMTP, console), "
                "not the outbox itself: messages would never leave.",
                id="outbox.E002",
            )
        ]
    return []
