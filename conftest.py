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
    caches["exports"].clear()


@pytest.fixture(autouse=True)
def roomy_public_rate_limits(settings):
    """Tests register many people from one address; the limits have tests of their own
    (events/tests/test_rate_limits.py), which set low rates and an empty cache."""
    settings.PUBLIC_RATE_LIMITS = {
        "event_registration": "10000/m/ip",
        "feedback": "10000/m/ip",
        "export": "10000/m/ip",
        "partnersearch_post": "10000/m/user",
        "partnersearch_interest": "10000/m/user",
        "matchmaking_request": "10000/m/user",
    }


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Background jobs run inside the request that enqueues them (django-tasks'
    ImmediateBackend); registry/tests/test_import_jobs.py runs the real worker too."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def matching_index_built_at_once(settings):
    """A test's write shows in the next suggestions: the matching index is rebuilt inside
    the request; matching/tests/test_background_build.py tests the background build."""
    settings.MATCHING_BUILD_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log users in, they do not test hashing strength: the slow hasher costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (German).

    A request through the test client activates its language in this thread
    and nothing switches it back, so an English page in one test would turn
    the messages of the next test English.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def people(db):
    """The named personas of docs/roles.md (clusterportal/tests/personas.py)."""
    from clusterportal.tests.personas import personas

    return personas()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with TOTP set up: staff must have it (accounts/two_factor.py)."""
    from clusterportal.tests.personas import with_totp

    return with_totp(admin_user)


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin client, logged in as after a login with password and TOTP code."""
    from django.test import Client

    from clusterportal.tests.personas import log_in_with_totp

    client = Client()
    log_in_with_totp(client, admin_user)
    return client


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path):
    """Uploaded application files go to the test's own folder, never to var/."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
