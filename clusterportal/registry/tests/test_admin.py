"""The back office: lists in constant queries, admission criteria, recomputation on save."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_clusterinitiative_changelist")


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def initiative(slug: str) -> ClusterInitiative:
    return ClusterInitiative.objects.get(slug=slug)


def test_the_initiative_list_shows_all_real_initiatives_in_a_constant_number_of_queries(
    admin_client, django_assert_num_queries
):
    with django_assert_num_queries(9):
        response = admin_client.get(CHANGELIST, {"all": ""})
    assert len(response.context["cl"].result_list) == 102
    for _ in range(30):
        factories.initiative(fields=["medizintechnik"], region=factories.region("region-stuttgart"))
    with django_assert_num_queries(9):
        response = admin_client.get(CHANGELIST, {"all": ""})
    assert len(response.context["cl"].result_list) == 132


def test_the_criteria_column_counts_the_criteria_met_and_sorts_by_them(admin_client):
    full = factories.initiative(
        "Vollständige Testinitiative",
        fields=["medizintechnik"],
        management_organisation=factories.organisation(),
        street="Hauptstraße 1",
        postcode="70173",
        city="Stuttgart",
        contact_person="Erika Mustermann",
        contact_email="kontakt@example.org",
        contact_phone="0711 123456",
        website="https://example.org",
        innovation_driven=True,
        activities_per_year=5,
        services="Netzwerktreffen",
    )
    factories.members(full, companies=7, others=5)
    criteria_index = response_columns(admin_client).index("criteria")
    response = admin_client.get(CHANGELIST, {"o": f"-{criteria_index}"})
    first = response.context["cl"].result_list[0]
    assert first == full
    assert '<td class="field-criteria">7/7</td>' in response.content.decode()
    biolago = admin_client.get(CHANGELIST, {"q": "BioLAGO"}).content.decode()
    assert '<td class="field-criteria">1/7</td>' in biolago  # only its technology field


def response_columns(client) -> list[str]:
    return list(client.get(CHANGELIST).context["cl"].list_display)


def test_the_criterion_filters_split_the_list_into_met_and_not_shown(admin_client):
    met = admin_client.get(CHANGELIST, {"kriterium": "field", "all": ""}).context["cl"]
    not_shown = admin_client.get(CHANGELIST, {"kriterium_offen": "field", "all": ""}).context["cl"]
    assert met.result_count + not_shown.result_count == 102
    assert all(i.technology_fields.exists() for i in met.result_list)
    assert not any(i.technology_fields.exists() for i in not_shown.result_list)
    everything = admin_client.get(CHANGELIST, {"kriterium": "all"}).context["cl"]
    assert everything.result_count == 0  # no real record shows all seven criteria yet


def test_an_unknown_criterion_in_the_filter_is_rejected_not_ignored(admin_client):
    response = admin_client.get(CHANGELIST, {"kriterium": "charisma"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_change_page_lists_each_criterion_met_or_not_shown(admin_client):
    page = admin_client.get(change_url(initiative("biolago"))).content.decode()
    assert "1 von 7 Kriterien erfüllt" in page
    assert "<strong>Technologiefeld</strong>: erfüllt" in page
    assert "<strong>Partner</strong>: nicht belegt" in page
    assert page.count('alt="False"') >= 6


def post_data(client, record, **changes) -> dict:
    """The change form of a record as the browser would send it back, with changes."""
    response = client.get(change_url(record))
    data = {}
    for form in [response.context["adminform"].form] + [
        f for formset in response.context["inline_admin_formsets"] for f in [formset.formset]
    ]:
        if hasattr(form, "management_form"):
            for name, value in form.management_form.initial.items():
                data[f"{form.prefix}-{name}"] = value
            for sub in form.forms:
                data.update(_form_values(sub))
        else:
            data.update(_form_values(form))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _form_values(form) -> dict:
    values = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, list | tuple):
            values[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                values[key] = "on"
        elif value is not None:
            values[key] = str(value)
    return values


def test_saving_an_initiative_in_the_admin_refreshes_its_search_text(admin_client):
    record = initiative("biolago")
    data = post_data(admin_client, record, name="BioLAGO Gesundheitsnetzwerk Bodensee")
    data["technology_fields"] = [str(factories.field("photonik").pk)]
    response = admin_client.post(change_url(record), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert "gesundheitsnetzwerk" in record.search_name
    assert record.search_fields == "photonics photonik"  # the new field, not the old ones


def test_members_added_in_the_admin_are_counted_for_the_partner_criteria(admin_client):
    record = initiative("biolago")
    companies = [factories.organisation() for _ in range(8)]
    institute = factories.organisation(kind=Organisation.Kind.RESEARCH)
    data = post_data(admin_client, record)
    add = "memberships-2"  # the second membership inline: new members
    data[f"{add}-TOTAL_FORMS"] = "9"
    for index, organisation in enumerate([*companies, institute]):
        data[f"{add}-{index}-organisation"] = str(organisation.pk)
        data[f"{add}-{index}-role"] = "member"
    response = admin_client.post(change_url(record), data)
    assert response.status_code == 302, response.context["errors"]
    record.refresh_from_db()
    assert (record.listed_members, record.listed_companies) == (9, 8)


def test_an_organisation_with_members_cannot_be_deleted_and_the_page_names_the_blocker(
    admin_client,
):
    organisation = factories.organisation("Muster Sensorik GmbH")
    Membership.objects.create(initiative=initiative("biolago"), organisation=organisation)
    url = reverse("admin:registry_organisation_delete", args=[organisation.pk])
    page = admin_client.get(url).content.decode()
    assert "geschützte" in page
    assert "Muster Sensorik GmbH in BioLAGO e.V. - the health network" in page
    admin_client.post(url, {"post": "yes"})
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_the_region_of_an_initiative_offers_only_the_land_and_regions(admin_client):
    response = admin_client.get(reverse("admin:registry_clusterinitiative_add"))
    choices = response.context["adminform"].form.fields["region"].queryset
    assert sorted(set(choices.values_list("kind", flat=True))) == ["land", "region"]
    assert choices.count() == 13
    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Stuttgart",
            "app_label": "registry",
            "model_name": "clusterinitiative",
            "field_name": "seat_kreis",
        },
    ).json()
    assert [r["text"] for r in autocomplete["results"]] == ["Stuttgart (Stadtkreis)"]


def test_an_empty_slug_is_made_from_the_short_name_like_the_import_does(admin_client):
    response = admin_client.post(
        reverse("admin:registry_organisation_add"),
        {
            "name": "Müller Präzisionstechnik GmbH",
            "slug": "",
            "kind": "company",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Müller Präzisionstechnik GmbH").slug == (
        "mueller-praezisionstechnik-gmbh"
    )


def test_changing_an_organisations_kind_recounts_the_companies_of_its_initiatives(admin_client):
    record = initiative("biolago")
    factories.members(record, companies=2)
    organisation = record.memberships.first().organisation
    data = post_data(admin_client, organisation, kind="research")
    response = admin_client.post(change_url(organisation), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.listed_members, record.listed_companies) == (2, 1)


def test_the_other_lists_show_their_rows_in_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    record = initiative("biolago")
    factories.members(record, companies=120)
    for name, expected_rows in [
        ("membership", 100),
        ("organisation", 100),
        ("label", 30),
        # 17 from the research table, 11 from international_partnerships.csv
        ("internationalpartnership", 28),
        ("sourcereference", 100),
    ]:
        with django_assert_max_num_queries(10):
            response = admin_client.get(reverse(f"admin:registry_{name}_changelist"))
        assert len(response.context["cl"].result_list) == expected_rows, name


def test_a_staff_member_without_a_role_sees_no_data_whatever_django_permissions_say():
    from django.test import Client

    from clusterportal.accounts.models import Role, grant
    from clusterportal.tests.personas import log_in_with_totp, with_totp

    user = with_totp(User.objects.create_user("praktikant", password="x", is_staff=True))
    client = Client()
    log_in_with_totp(client, user)
    assert client.get(CHANGELIST).status_code == 403
    # Django's model permissions give nothing: the rules of accounts/rules.py decide.
    user.user_permissions.add(Permission.objects.get(codename="view_clusterinitiative"))
    assert client.get(CHANGELIST).status_code == 403
    grant(user, Role.Kind.CURATOR)
    assert client.get(CHANGELIST).status_code == 200


def test_the_change_page_of_a_big_member_list_needs_no_query_per_member(admin_client):
    record = initiative("biolago")
    factories.members(record, companies=5)
    admin_client.get(change_url(record))  # fills the content-type cache
    with CaptureQueriesContext(connection) as few:
        admin_client.get(change_url(record))
    factories.members(record, companies=150)
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(change_url(record)).content.decode()
    assert len(many) == len(few)
    assert len(re.findall(r'<td class="field-organisation">\s*<p>', page)) == 155


def test_deleting_initiatives_with_the_action_deletes_their_labels_and_members(admin_client):
    record = factories.initiative("Zu löschende Initiative")
    factories.members(record, companies=2)
    factories.label(record)
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ClusterInitiative.objects.filter(pk=record.pk).exists()
    assert not Membership.objects.filter(initiative_id=record.pk).exists()
    assert ClusterInitiative.objects.count() == 102
