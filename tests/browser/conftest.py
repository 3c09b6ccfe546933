import pytest

from tests.browser.browser import chromium
from tests.browser.server import running_portal


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """(base URL, environment) of the portal served as `make run` serves it."""
    with running_portal(tmp_path_factory.mktemp("portal")) as served:
        yield served


@pytest.fixture(scope="session")
def browser():
    driver = chromium()
    yield driver
    driver.quit()
