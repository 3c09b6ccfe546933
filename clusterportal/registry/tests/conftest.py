import pytest

from clusterportal.registry import filters


@pytest.fixture
def fresh_registry_index(monkeypatch):
    """The registry index of a new process: nothing built or read yet.

    The index outlives a test while the data version stays the same, so without
    this a query count would depend on the rows earlier tests happened to read.
    """
    monkeypatch.setattr(filters, "_index", None)
