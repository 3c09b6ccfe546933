import pytest

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def mail_through_the_outbox(settings):
    """As in production: Django's mail goes to the outbox; delivery goes to mail.outbox."""
    settings.EMAIL_BACKEND = "clusterportal.outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    settings.OUTBOX_DELIVER_ON_COMMIT = True
