"""The account page's next steps against hand-built registry records (services/next_steps.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterportal.calls.tests.helpers import make_call, make_programme
from clusterportal.lib.dates import add_months
from clusterportal.registry.models import (
    ClusterInitiative,
    InternationalPartnership,
    Label,
    Organisation,
)
from clusterportal.services.next_steps import suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def textiles(people):
    """Mia's initiative with every admission criterion shown, no labels, no partnership."""
    textiles = people.textiles
    textiles.management_organisation = Organisation.objects.create(
        slug="techtex-management", name="Clustermanagement TechTex", kind="company"
    )
    textiles.street, textiles.postcode, textiles.city = "Musterstraße 1", "72764", "Reutlingen"
    textiles.contact_person, textiles.contact_email = "A. Person", "info@example.org"
    textiles.contact_phone, textiles.website = "07121 0", "https://example.org"
    textiles.innovation_driven, textiles.activities_per_year = True, 3
    textiles.services = "Netzwerktreffen"
    textiles.save()
    ClusterInitiative.objects.filter(pk=textiles.pk).update(
        listed_companies=100, listed_members=100
    )
    textiles.labels.all().delete()
    textiles.partnerships.all().delete()
    InternationalPartnership.objects.create(initiative=textiles, country="Frankreich")
    return textiles


def steps(user, today=None):
    found = suggestions(user, today)
    assert len(found) == 1
    return {(step.kind, step.subject): step for step in found[0].steps}


def test_a_complete_profile_with_a_partnership_and_no_label_suggests_no_step(people, textiles):
    assert [key for key in steps(people.mia) if key[0] != "call"] == []


def test_each_admission_criterion_the_data_does_not_show_is_suggested_with_the_edit_form(
    people, textiles
):
    ClusterInitiative.objects.filter(pk=textiles.pk).update(services="", activities_per_year=2)
    found = steps(people.mia)
    assert ("criterion", "services") in found and ("criterion", "activities") in found
    assert ("criterion", "partners") not in found
    assert found[("criterion", "services")].url == reverse("changes:edit", args=[textiles.slug])
    assert "Serviceleistungen" in found[("criterion", "services")].text


def test_a_shipped_profile_suggests_the_criteria_its_data_lacks(people):
    # The shipped record of Technische Textilien shows its field and partners, not its services.
    found = steps(people.mia)
    assert ("criterion", "services") in found
    assert ("criterion", "field") not in found


def test_a_label_expiring_in_11_months_is_suggested_and_in_13_months_not(people, textiles):
    today = timezone.localdate()
    Label.objects.create(
        initiative=textiles, kind="ecei_gold", awarded_on=add_months(today, -24),
        valid_until=add_months(today, 11),
    )  # fmt: skip
    found = steps(people.mia, today)
    step = found[("label", "ecei_gold")]
    assert "ECEI Gold" in step.text
    assert step.url == (
        f"{reverse('services:new')}?service=professionalisierung-label&initiative={textiles.slug}"
    )
    Label.objects.filter(initiative=textiles).update(valid_until=add_months(today, 13))
    assert ("label", "ecei_gold") not in steps(people.mia, today)


def test_the_window_ends_a_year_ahead_and_starts_today(people, textiles):
    today = datetime.date(2027, 3, 15)
    label = Label.objects.create(initiative=textiles, kind="ecei_silver", valid_until=today)
    assert ("label", "ecei_silver") in steps(people.mia, today)
    for end, suggested in [
        (datetime.date(2028, 3, 15), True),
        (datetime.date(2028, 3, 16), False),
        (datetime.date(2027, 3, 14), False),  # already ended: not "expiring"
    ]:
        Label.objects.filter(pk=label.pk).update(valid_until=end)
        assert (("label", "ecei_silver") in steps(people.mia, today)) is suggested, end


def test_the_bw_label_expires_two_years_after_its_award(people, textiles):
    today = timezone.localdate()
    # Awarded 13 months ago: valid for two years, so it ends in 11 months.
    Label.objects.create(
        initiative=textiles, kind="cluster_excellence_bw", awarded_on=add_months(today, -13)
    )
    assert ("label", "cluster_excellence_bw") in steps(people.mia, today)
    Label.objects.filter(initiative=textiles).delete()
    Label.objects.create(
        initiative=textiles, kind="cluster_excellence_bw", awarded_on=add_months(today, -11)
    )
    assert ("label", "cluster_excellence_bw") not in steps(people.mia, today)


def test_a_renewed_label_is_not_suggested(people, textiles):
    today = timezone.localdate()
    Label.objects.create(
        initiative=textiles, kind="ecei_silver", awarded_year=today.year - 2,
        valid_until=add_months(today, 6),
    )  # fmt: skip
    Label.objects.create(
        initiative=textiles, kind="ecei_gold", awarded_year=today.year,
        valid_until=add_months(today, 36),
    )  # fmt: skip
    found = steps(people.mia, today)
    assert not [key for key in found if key[0] == "label"]


def test_no_international_partnership_suggests_the_internationalisation_strategy(people, textiles):
    assert ("partnership", "") not in steps(people.mia)
    textiles.partnerships.all().delete()
    step = steps(people.mia)[("partnership", "")]
    assert "service=internationalisierungsstrategie" in step.url


def test_without_an_offered_service_the_suggestion_links_the_catalogue(people, textiles):
    from clusterportal.services.models import Service

    textiles.partnerships.all().delete()
    Service.objects.filter(kind="internationalisation").update(active=False)
    assert steps(people.mia)[("partnership", "")].url == reverse("services:index")


def test_calls_the_initiative_is_eligible_for_are_suggested_and_others_not(people, textiles):
    now = timezone.now()
    later = [now + datetime.timedelta(days=30)]
    programme = make_programme()
    kinds = {"rule": "initiative_kind", "parameters": {"kinds": ["cluster_initiative"]}}
    stuttgart = {"rule": "seat", "parameters": {"region": "region-stuttgart"}}
    make_call("fuer-alle", programme, later, eligibility_rules=[kinds])
    make_call("nur-stuttgart", programme, later, eligibility_rules=[stuttgart])
    make_call("schon-zu", programme, [now - datetime.timedelta(days=1)], eligibility_rules=[kinds])
    make_call(
        "demnaechst", programme, later, eligibility_rules=[kinds],
        opens_at=now + datetime.timedelta(days=5),
    )  # fmt: skip
    found = steps(people.mia)
    assert found[("call", "fuer-alle")].url == reverse("calls:detail", args=["fuer-alle"])
    assert ("call", "demnaechst") in found
    assert ("call", "nur-stuttgart") not in found
    assert ("call", "schon-zu") not in found
    # Max's CARS is in Region Stuttgart: both open calls.
    max_steps = {(s.kind, s.subject) for s in suggestions(people.max)[0].steps}
    assert {("call", "fuer-alle"), ("call", "nur-stuttgart")} <= max_steps


def test_people_who_manage_nothing_get_no_suggestions(people):
    for name in ("clara", "rainer", "ute", "anonymous"):
        assert suggestions(getattr(people, name)) == []


def test_the_suggestions_read_a_fixed_number_of_queries(people, django_assert_num_queries):
    from clusterportal.accounts.models import Role, grant

    suggestions(people.mia)  # warm: content types and the like
    # The roles, the calls, the services, the initiatives (criteria, partnership), the labels.
    with django_assert_num_queries(5) as one:
        suggestions(people.mia)
    for initiative in ClusterInitiative.objects.exclude(pk=people.textiles.pk)[:5]:
        grant(people.mia, Role.Kind.CLUSTER_MANAGER, initiative=initiative)
    assert len(suggestions(people.mia)) == 6
    with django_assert_num_queries(len(one.captured_queries)):
        suggestions(people.mia)


def test_the_account_page_shows_the_steps_with_their_links(client, people, textiles):
    textiles.partnerships.all().delete()
    client.force_login(people.mia)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "Nächste Schritte" in page
    assert "noch keine internationale Partnerschaft" in page
    assert "service=internationalisierungsstrategie&amp;initiative=" in page


def test_the_account_page_of_a_curator_links_the_open_requests(client, people):
    from clusterportal.services.tests.helpers import make_request
    from clusterportal.tests.personas import log_in_with_totp

    make_request(people)
    log_in_with_totp(client, people.clara)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "1 offene Anfrage" in page
    assert "Nächste Schritte" not in page
