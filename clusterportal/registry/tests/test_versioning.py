"""The registry's data version (lib/versioning.py, declared in registry/apps.py):
kept by the database, whatever writes."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from clusterportal.lib import versioning
from clusterportal.regions.models import Region
from clusterportal.registry.models import (
    ClusterInitiative,
    Label,
    Membership,
    Organisation,
    SearchWord,
)
from clusterportal.registry.tests import factories
from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives"


def relabel():
    Label.objects.filter(kind="ecei_gold").update(kind="ecei_silver")


def rename_region():
    Region.objects.filter(slug="region-stuttgart").update(name="Region Stuttgart (neu)")


def rename_field():
    TechnologyField.objects.filter(slug="photonics").update(name="Photonik und Optik")


def unlink_fields():
    ClusterInitiative.technology_fields.through.objects.filter(
        clusterinitiative__slug="afbw"
    ).delete()


def unpublish_in_bulk():
    ClusterInitiative.objects.filter(kind="state_agency").update(status="archived")


def delete_initiative():
    ClusterInitiative.objects.filter(slug="afbw").delete()


def add_initiative():
    factories.initiative()


@pytest.mark.parametrize(
    "write",
    [
        relabel,
        rename_region,
        rename_field,
        unlink_fields,
        unpublish_in_bulk,
        delete_initiative,
        add_initiative,
    ],
)
def test_every_write_to_what_a_list_shows_changes_the_version(write):
    before = versioning.current("registry")
    write()
    after = versioning.current("registry")
    assert after.number > before.number
    assert after.token != before.token
    assert after.changed_at >= before.changed_at


def test_organisations_and_members_move_the_version_too():
    """A profile shows its contact organisation and members, read once per version."""
    before = versioning.current("registry")
    organisation = factories.organisation()
    assert versioning.current("registry").number > before.number
    before = versioning.current("registry")
    Membership.objects.create(
        initiative=ClusterInitiative.objects.get(slug="afbw"), organisation=organisation
    )
    assert versioning.current("registry").number > before.number


def test_other_tables_leave_the_version_alone():
    before = versioning.current("registry")
    User.objects.create(username="redaktion")
    assert versioning.current("registry") == before


def test_a_new_vocabulary_word_is_a_typo_target_at_once(client):
    def names(q: str) -> list[str]:
        return [item["name"] for item in client.get(LIST, {"q": q}).json()["results"]]

    assert names("Quantenkryptografie") == []
    factories.initiative("Netzwerk Quantenkryptografie")  # adds the word to the vocabulary
    assert SearchWord.objects.filter(word="quantenkryptografie").exists()
    assert names("Quantenkryptographie") == []  # two edits away
    assert names("Quantenkryptogafie") == ["Netzwerk Quantenkryptografie"]


def test_reading_the_version_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        version = versioning.current("registry")
    assert version.changed_at.tzinfo is not None


def test_the_triggers_can_be_made_again_without_harm():
    before = versioning.current("registry")
    versioning.ensure_declared(apps.get_app_config("registry"))
    assert versioning.current("registry") == before
    one = Label.objects.filter(kind="ecei_gold").first()
    Label.objects.filter(pk=one.pk).update(note="geprüft")
    assert versioning.current("registry").number == before.number + 1  # one trigger, not two


def test_a_label_changed_on_its_own_shows_in_the_list_at_once(client):
    def gold() -> int:
        facets = client.get(LIST).json()["facets"]["label"]
        return next(v["count"] for v in facets if v["value"] == "ecei_gold")

    assert gold() == 7
    etag = client.get(LIST)["ETag"]
    relabel()  # no initiative is saved
    assert gold() == 0
    assert client.get(LIST, headers={"if-none-match": etag}).status_code == 200


def test_a_renamed_technology_field_shows_in_the_facets_at_once(client):
    def label_of_photonics() -> str:
        facets = client.get(LIST).json()["facets"]["field"]
        return next(v["label"] for v in facets if v["value"] == "photonics")

    assert label_of_photonics() == "Photonik"
    rename_field()
    assert label_of_photonics() == "Photonik und Optik"


def test_a_profile_shows_every_change_at_once(client):
    def page() -> str:
        return client.get("/cluster/afbw/").content.decode()

    assert "Quelle für den Test" not in page()
    initiative = ClusterInitiative.objects.get(slug="afbw")
    initiative.sources.create(url="https://example.org/neu", title="Quelle für den Test")
    initiative.partnerships.create(country="Japan", partner_region="Präfektur Test")
    html = page()
    assert "Quelle für den Test" in html and "Präfektur Test" in html
    organisation = factories.organisation("Geschäftsstelle Test", city="Denkendorf")
    ClusterInitiative.objects.filter(pk=initiative.pk).update(management_organisation=organisation)
    assert "Geschäftsstelle Test" in page()
    Organisation.objects.filter(pk=organisation.pk).update(name="Geschäftsstelle Neu")
    assert "Geschäftsstelle Neu" in page()
    factories.members(initiative, companies=1)
    assert "Testorganisation" in page()


def test_the_api_detail_follows_every_change(client):
    def detail() -> dict:
        return client.get("/api/v1/initiatives/afbw").json()

    assert "ecei_gold" in [label["kind"] for label in detail()["labels"]]
    etag = client.get("/api/v1/initiatives/afbw")["ETag"]
    Label.objects.filter(initiative__slug="afbw", kind="ecei_gold").update(kind="ecei_silver")
    assert "ecei_gold" not in [label["kind"] for label in detail()["labels"]]
    initiative = ClusterInitiative.objects.get(slug="afbw")
    organisation = factories.organisation("Geschäftsstelle Test")
    ClusterInitiative.objects.filter(pk=initiative.pk).update(management_organisation=organisation)
    assert detail()["management_organisation"]["name"] == "Geschäftsstelle Test"
    Organisation.objects.filter(pk=organisation.pk).update(name="Geschäftsstelle Neu")
    assert detail()["management_organisation"]["name"] == "Geschäftsstelle Neu"
    response = client.get("/api/v1/initiatives/afbw", headers={"if-none-match": etag})
    assert response.status_code == 200
