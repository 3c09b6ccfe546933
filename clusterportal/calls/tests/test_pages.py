"""The pages: the list with filters and facets, a call with its rules and the check for a
cluster manager's initiative, a programme with its calculator, the iCal feed."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from clusterportal.accounts.models import Role, grant
from clusterportal.calls.tests.helpers import berlin, make_call, make_programme

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_calls_with_facets(client):
    response = client.get("/foerderung/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "6 Aufrufe" in page
    assert "Zuschuss zur GOLD-Zertifizierung 2023–2027" in page
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {v.value: v.count for v in facets["status"].values} == {"open": 1, "closed": 5}


def test_the_list_filters_by_country_and_keeps_the_other_facets_counted(client):
    response = client.get("/foerderung/?country=DK")
    assert [call.slug for call in response.context["page"].items] == [
        "innovation-express-2017", "bmbf-internationalisierung-runden-1-2"
    ]  # fmt: skip
    facets = {facet.name: facet for facet in response.context["facets"]}
    # With Denmark chosen, the country facet still counts every country of the other filters.
    assert {v.value for v in facets["country"].values if v.selected} == {"DK"}
    assert {v.value: v.count for v in facets["programme"].values} == {
        "bmbf-internationalisierung-spitzencluster": 1, "innovation-express": 1,
    }  # fmt: skip


def test_a_bad_filter_is_a_400_page_naming_it(client):
    response = client.get("/foerderung/?status=soon")
    assert response.status_code == 400
    assert "status" in response.context["errors"]


def test_the_english_list_is_under_en(client):
    response = client.get("/en/foerderung/")
    assert response.status_code == 200
    assert "Subsidy for a GOLD certification 2023–2027" in response.content.decode()


def test_the_list_takes_the_same_number_of_queries_whatever_the_page_size(
    client, django_assert_num_queries
):
    programme = make_programme("viele")
    for number in range(25):
        make_call(f"aufruf-{number}", programme=programme, deadlines=[berlin(2030, 1, 1 + number)])
    client.get("/foerderung/?page_size=1")
    with django_assert_num_queries(8) as small:
        client.get("/foerderung/?page_size=1")
    with django_assert_num_queries(len(small)):
        client.get("/foerderung/?page_size=100")


def test_a_call_page_lists_its_rules_for_everyone(client):
    page = client.get("/foerderung/gold-label-2023-2027/").content.decode()
    assert "In der Clusterdatenbank geführt und veröffentlicht" in page
    assert "Art: Regionale Cluster-Initiative oder Landesweites Netzwerk" in page
    assert "30.06.2027, 23:59" in page


def test_a_cluster_manager_sees_the_check_for_their_initiative(client, people):
    client.force_login(people.mia)
    response = client.get("/foerderung/gold-label-2023-2027/")
    [check] = response.context["checks"]
    assert check.initiative == people.textiles
    assert check.result == "met"
    assert "Prüfung für Ihre Initiativen" in response.content.decode()


def test_a_visitor_and_a_user_without_a_role_see_no_check(client, people):
    assert client.get("/foerderung/gold-label-2023-2027/").context["checks"] == []
    client.force_login(people.ute)
    assert client.get("/foerderung/gold-label-2023-2027/").context["checks"] == []


def test_a_manager_cannot_check_another_initiative_a_curator_can(client, people):
    client.force_login(people.mia)
    response = client.get("/foerderung/gold-label-2023-2027/?initiative=cars")
    assert response.context["checks"] == []
    assert response.context["refused"] == "Diese Initiative können Sie hier nicht prüfen."
    client.force_login(people.clara)
    response = client.get("/foerderung/gold-label-2023-2027/?initiative=leichtbau-bw")
    [check] = response.context["checks"]
    assert check.result == "not_met"


def test_a_manager_of_two_initiatives_sees_both(client, people):
    grant(people.mia, Role.Kind.CLUSTER_MANAGER, initiative=people.cars)
    client.force_login(people.mia)
    checks = client.get("/foerderung/gold-label-2023-2027/").context["checks"]
    assert sorted(check.initiative.slug for check in checks) == [
        "cars", "cluster-technische-textilien-neckar-alb"
    ]  # fmt: skip


def test_an_unknown_call_is_a_404(client):
    assert client.get("/foerderung/no-such-call/").status_code == 404


def test_the_programme_page_computes_the_subsidy(client):
    response = client.get(
        "/foerderung/programme/gold-label-foerderung/?cost=12000&certification=renewal"
    )
    assert response.status_code == 200
    assert response.context["quote"].subsidy == 4250
    assert "Zuschuss: 4.250,00 EUR" in response.content.decode()


def test_the_programme_page_refuses_a_label_outside_the_window(client):
    response = client.get(
        "/foerderung/programme/gold-label-foerderung/?cost=12000&initiative=biolago"
    )
    page = response.content.decode()
    assert "Kein Zuschuss:" in page
    assert "Die Zertifizierung im Jahr 2022 liegt außerhalb des Förderzeitraums" in page


def test_the_programme_page_names_a_bad_value(client):
    response = client.get("/foerderung/programme/gold-label-foerderung/?cost=viel")
    assert response.status_code == 400
    assert "cost" in response.context["form"].errors


def test_a_programme_in_the_archive_says_so_with_its_sources(client):
    page = client.get("/foerderung/programme/clusterwettbewerb/").content.decode()
    assert "Archiv: Das Programm läuft nicht mehr" in page
    assert "https://www.pressebox.de/" in page
    assert "Clusterwettbewerb, 2. Runde (2010)" in page


def test_the_programme_list_hides_the_archive_until_asked(client):
    current = client.get("/foerderung/programme/").context["programmes"]
    assert len(current) == 2
    everything = client.get("/foerderung/programme/?archive=on").context["programmes"]
    assert len(everything) == 6


def test_the_ical_feed_has_one_entry_per_deadline_of_the_filter(client):
    make_call("zwei-fristen", deadlines=[berlin(2026, 1, 15, 12, 0), berlin(2026, 7, 15, 12, 0)])
    response = client.get("/foerderung/fristen.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    starts = sorted(str(entry.decoded("dtstart")) for entry in entries)
    assert starts == [
        "2026-01-15 11:00:00+00:00",  # CET
        "2026-07-15 10:00:00+00:00",  # CEST
        "2027-06-30 21:59:59+00:00",  # the GOLD call's last day, end of day in Stuttgart
    ]
    only_open = client.get("/foerderung/fristen.ics?programme=gold-label-foerderung")
    assert len(Calendar.from_ical(only_open.content).walk("VEVENT")) == 1
    assert client.get("/foerderung/fristen.ics?status=soon").status_code == 400


def test_the_sitemap_lists_calls_and_programmes_in_both_languages(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/foerderung/gold-label-2023-2027/" in xml
    assert "http://testserver/en/foerderung/programme/clusterwettbewerb/" in xml
    assert "http://testserver/foerderung/programme/" in xml
