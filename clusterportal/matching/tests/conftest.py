import pytest

from clusterportal.matching import index, sources


@pytest.fixture
def fresh_matching_index(monkeypatch):
    """The matching index of a new process (nothing built yet), and the sources as they
    are registered now (a test may register a posting source of its own)."""
    monkeypatch.setattr(index, "_current", None)
    monkeypatch.setattr(sources, "_loaders", dict(sources._loaders))
