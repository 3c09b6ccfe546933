"""Test set-up shared by every app: the real shipped data is loaded once.

Every test runs inside a transaction on top of this data (pytest-django), so
tests can assert real figures (102 initiatives, 44 Kreise) and add records of
their own without cleaning up.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_data", verbosity=0)


@pytest.fixture(autouse=True)
def empty_response_cache():
    """Cached lists are keyed by the data version, which a test that writes nothing
    shares with the tests before it: start each test without them (query counts)."""
    caches["responses"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log users in, they do not test hashing strength: the slow hasher costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
