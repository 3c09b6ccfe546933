import pytest


@pytest.fixture
def mails(mailoutbox, django_capture_on_commit_callbacks):
    """Run a step with its after-commit mails; `mails.outbox` holds them."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    run.outbox = mailoutbox
    return run


def recipients(outbox) -> list[str]:
    return sorted(address for mail in outbox for address in mail.to)
