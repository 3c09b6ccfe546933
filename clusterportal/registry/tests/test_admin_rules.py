"""The back office follows the rules of accounts/rules.py, not Django's model permissions.

The audit: a staff account holding only Django's "change initiative" permission could
publish a draft and edit an initiative of another Region. Each rule is tested both ways
with the personas (clusterportal/tests/personas.py) through the admin's pages.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from clusterportal.accounts.rules import forget_roles
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.registry.tests import factories
from clusterportal.registry.tests.test_admin import change_url, post_data
from clusterportal.tests.personas import log_in_with_totp, with_totp

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_clusterinitiative_changelist")
DRAFT = ClusterInitiative.Status.DRAFT
PUBLISHED = ClusterInitiative.Status.PUBLISHED


def logged_in(user) -> Client:
    client = Client()
    log_in_with_totp(client, user)
    return client


@pytest.fixture
def auditor(people):
    """The audit's account: staff with Django's view and change permissions, no role."""
    ute = with_totp(people.ute)
    ute.is_staff = True
    ute.save()
    for codename in ("view_clusterinitiative", "change_clusterinitiative", "add_clusterinitiative"):
        ute.user_permissions.add(Permission.objects.get(codename=codename))
    return ute


@pytest.fixture
def draft(people):
    """A draft of a regional initiative in Neckar-Alb, Rainer's Region."""
    return factories.initiative(
        "Entwurf Neckar-Alb", status=DRAFT, region=people.neckar_alb, slug="entwurf-neckar-alb"
    )


def listed(client) -> set[str]:
    response = client.get(CHANGELIST, {"all": ""})
    assert response.status_code == 200
    return {record.slug for record in response.context["cl"].result_list}


# Who sees which initiatives


def test_a_curator_sees_every_initiative(people):
    assert len(listed(logged_in(people.clara))) == ClusterInitiative.objects.count()


def test_a_regional_contact_sees_exactly_the_initiatives_the_rules_let_him_edit(people, draft):
    shown = listed(logged_in(people.rainer))
    allowed = {
        record.slug
        for record in ClusterInitiative.objects.all()
        if people.rainer.has_perm("registry.edit_record", record)
    }
    assert shown == allowed
    assert {people.textiles.slug, draft.slug} <= shown
    assert people.cars.slug not in shown
    assert people.network.slug not in shown  # state-wide networks go to the curators
    assert all(
        record.region_id == people.neckar_alb.pk
        and record.kind == ClusterInitiative.Kind.CLUSTER_INITIATIVE
        for record in ClusterInitiative.objects.filter(slug__in=shown)
    )


@pytest.mark.parametrize("name", ["mia", "ute"])
def test_people_without_a_staff_role_do_not_get_into_the_back_office(people, name):
    user = getattr(people, name)
    response = logged_in(user).get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_django_permissions_alone_show_no_initiative(auditor):
    client = logged_in(auditor)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200  # in, but sees nothing


# The change page


def test_the_change_page_of_another_regions_initiative_is_403_for_the_regional_contact(people):
    client = logged_in(people.rainer)
    assert client.get(change_url(people.cars)).status_code == 403
    assert client.get(change_url(people.network)).status_code == 403
    assert client.get(change_url(people.textiles)).status_code == 200


def test_the_change_page_is_403_for_an_account_with_only_django_permissions(auditor, people):
    client = logged_in(auditor)
    assert client.get(change_url(people.textiles)).status_code == 403
    assert client.get(reverse("admin:registry_clusterinitiative_add")).status_code == 403


def test_an_unknown_initiative_is_still_reported_as_missing(people):
    response = logged_in(people.rainer).get(
        reverse("admin:registry_clusterinitiative_change", args=[999999])
    )
    assert response.status_code == 302  # Django's "does not exist" message


# Publishing and editing


def test_the_regional_contact_publishes_a_draft_of_his_region(people, draft):
    client = logged_in(people.rainer)
    response = client.post(change_url(draft), post_data(client, draft, status=PUBLISHED))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.status == PUBLISHED


def test_the_regional_contact_cannot_edit_or_publish_another_regions_initiative(people):
    people.cars.status = DRAFT
    people.cars.save()
    name = people.cars.name
    curator = logged_in(people.clara)
    data = post_data(curator, people.cars, status=PUBLISHED, name="Übernommen")
    response = logged_in(people.rainer).post(change_url(people.cars), data)
    assert response.status_code == 403
    people.cars.refresh_from_db()
    assert (people.cars.status, people.cars.name) == (DRAFT, name)


def test_an_account_with_only_django_permissions_cannot_publish_a_draft(auditor, people, draft):
    data = post_data(logged_in(people.clara), draft, status=PUBLISHED)
    response = logged_in(auditor).post(change_url(draft), data)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_the_status_is_read_only_for_whoever_may_edit_but_not_publish(people, draft):
    """Today editing and publishing go together; the admin asks each rule on its own."""
    import rules

    from clusterportal.accounts.rules import PERMISSIONS, is_curator

    rules.set_perm("registry.publish_initiative", is_curator)
    try:
        client = logged_in(people.rainer)
        page = client.get(change_url(draft))
        assert "status" not in page.context["adminform"].form.fields
        response = client.post(change_url(draft), post_data(client, draft, status=PUBLISHED))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == DRAFT
        client = logged_in(people.clara)
        assert "status" in client.get(change_url(draft)).context["adminform"].form.fields
    finally:
        rules.set_perm("registry.publish_initiative", PERMISSIONS["registry.publish_initiative"])


def test_only_curators_add_initiatives(people):
    add = reverse("admin:registry_clusterinitiative_add")
    assert logged_in(people.rainer).get(add).status_code == 403
    assert logged_in(people.clara).get(add).status_code == 200


def test_the_regional_contact_cannot_delete_another_regions_initiative(people):
    url = reverse("admin:registry_clusterinitiative_delete", args=[people.cars.pk])
    assert logged_in(people.rainer).post(url, {"post": "yes"}).status_code == 403
    assert ClusterInitiative.objects.filter(pk=people.cars.pk).exists()


def test_the_delete_action_reaches_only_initiatives_in_scope(people, draft):
    client = logged_in(people.rainer)
    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [people.cars.pk, draft.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert ClusterInitiative.objects.filter(pk=people.cars.pk).exists()
    assert not ClusterInitiative.objects.filter(pk=draft.pk).exists()


def test_a_role_taken_away_closes_the_back_office(people):
    from clusterportal.accounts.models import Role, revoke

    client = logged_in(people.rainer)
    assert client.get(change_url(people.textiles)).status_code == 200
    revoke(people.rainer, Role.Kind.REGIONAL_CONTACT, region=people.neckar_alb)
    forget_roles(people.rainer)
    assert client.get(change_url(people.textiles)).status_code == 302  # to the login


# Labels, members, organisations and imports are the curators'


def inlines(client, record) -> set[str]:
    page = client.get(change_url(record))
    return {type(formset.opts).__name__ for formset in page.context["inline_admin_formsets"]}


def test_labels_and_members_are_left_out_of_the_regional_contacts_form(people):
    curated = {"LabelInline", "MembershipInline", "MembershipAddInline"}
    profile = {"PartnershipInline", "SourceInline"}
    assert inlines(logged_in(people.rainer), people.textiles) == profile
    assert inlines(logged_in(people.clara), people.textiles) == curated | profile


@pytest.mark.parametrize(
    "model", [Organisation, Membership], ids=lambda model: model._meta.model_name
)
def test_organisations_and_memberships_are_for_curators_only(people, auditor, model):
    name = model._meta.model_name
    changelist = reverse(f"admin:registry_{name}_changelist")
    record = model.objects.first() or (
        factories.members(people.textiles, companies=1) or model.objects.first()
    )
    change = reverse(f"admin:registry_{name}_change", args=[record.pk])
    for codename in ("view", "change"):
        auditor.user_permissions.add(Permission.objects.get(codename=f"{codename}_{name}"))
    for user in (people.rainer, auditor):
        client = logged_in(user)
        assert client.get(changelist).status_code == 403, user
        assert client.get(change).status_code == 403, user
    client = logged_in(people.clara)
    assert client.get(changelist).status_code == 200
    assert client.get(change).status_code == 200


def test_imports_are_for_curators_only(people):
    url = reverse("admin:registry_clusterinitiative_import")
    assert logged_in(people.rainer).get(url).status_code == 403
    assert "Importieren" not in logged_in(people.rainer).get(CHANGELIST).content.decode()
    assert logged_in(people.clara).get(url).status_code == 200
