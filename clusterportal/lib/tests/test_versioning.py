"""Data versions that apps declare and the database keeps (lib/versioning.py).

The registry's own version, and what moves it, is tested in registry/tests/test_versioning.py.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from clusterportal.lib import versioning
from clusterportal.registry.models import Label


def test_apps_declare_versions_and_may_add_tables_to_another_apps_version():
    lower = SimpleNamespace(watched_tables={"registry": ["registry_label", "regions_region"]})
    plain = SimpleNamespace()
    higher = SimpleNamespace(
        watched_tables={"registry": ["regions_region", "accounts_role"], "atlas": ["atlas_edition"]}
    )
    assert versioning.declared([lower, plain, higher]) == {
        "registry": ["registry_label", "regions_region", "accounts_role"],
        "atlas": ["atlas_edition"],
    }


@pytest.mark.django_db
def test_the_installed_apps_declare_the_registry_version():
    watched = versioning.declared()["registry"]
    assert "registry_label" in watched and "taxonomy_technologyfield" in watched
    assert set(watched) <= set(connection.introspection.table_names())


@pytest.mark.django_db
def test_each_version_moves_with_its_own_tables_only():
    versioning.ensure_triggers(connection, "testing", ["auth_group"])
    registry, testing = versioning.current("registry"), versioning.current("testing")
    Group.objects.create(name="Redaktion")
    assert versioning.current("testing").number == testing.number + 1
    assert versioning.current("registry") == registry
    Label.objects.filter(kind="ecei_gold").update(note="geprüft")
    assert versioning.current("registry").number > registry.number
    assert versioning.current("testing").number == testing.number + 1


@pytest.mark.django_db
def test_flush_leaves_the_version_rows_alone():
    """Tests flush the database between some tests; a version must never start again at 1."""
    assert "registry_version" in connection.introspection.table_names()
    assert "registry_version" not in connection.introspection.django_table_names()


def test_a_version_name_is_a_plain_lower_case_word():
    with pytest.raises(ImproperlyConfigured, match="lower case"):
        versioning.sqlite_statements("Registry; DROP TABLE x", ["registry_label"])


def test_a_trigger_name_postgresql_would_cut_is_refused():
    with pytest.raises(ImproperlyConfigured, match="63 characters"):
        versioning.postgres_statements(
            "registry", ["registry_clusterinitiative_technology_fields_extra"]
        )
