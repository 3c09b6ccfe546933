"""The public registry pages: the list, a profile and the admission criteria page."""

import datetime
import html as html_module
import re

import pytest
from django.core.exceptions import ValidationError

from clusterportal.registry import profile as profile_module
from clusterportal.registry.models import ClusterInitiative, Membership, SourceReference
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db

# The registry version and the matching version (the cross-clustering panel, matching/).
PROFILE_QUERIES = 2
LIST_URL = "/cluster/"


def profile(client, slug):
    response = client.get(f"/cluster/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    """The page's visible words, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def rich_initiative():
    """A regional initiative with every kind of related row (for query counts)."""
    record = factories.initiative(
        "Netzwerk Probe",
        fields=["medizintechnik", "biotechnologie", "leichtbau"],
        region=factories.region("region-neckar-alb"),
        seat_kreis=factories.region("landkreis-tuebingen"),
        latitude=48.5,
        longitude=9.0,
    )
    factories.members(record, companies=4, others=2)
    for year in (2016, 2018, 2020):
        factories.label(record, awarded_year=year)
    for index in range(3):
        SourceReference.objects.create(
            initiative=record, url=f"https://example.org/quelle-{index}", position=index
        )
    record.partnerships.create(country="Schweiz")
    return record


class TestProfile:
    def test_it_shows_the_cluster_excellence_label_with_its_two_year_validity(self, client):
        page = text(profile(client, "cluster-elektromobilitaet-sued-west"))
        assert "Cluster-Exzellenz Baden-Württemberg – verliehen am 18.02.2014" in page
        assert "gültig bis 18.02.2016 – abgelaufen" in page
        assert "BMBF-Spitzencluster – verliehen 2012 Gültigkeit unbekannt" in page

    def test_it_shows_a_recertified_label_as_expired_and_an_undated_one_as_unknown(self, client):
        page = text(profile(client, "afbw"))
        assert "verliehen am 23.02.2017 gültig bis 23.02.2019 – abgelaufen" in page
        assert "verliehen 2013 Gültigkeit unbekannt" in page

    def test_a_label_without_stored_end_gets_the_two_years_of_the_cluster_excellence_label(
        self, client
    ):
        record = factories.initiative(fields=["leichtbau"])
        factories.label(
            record, "cluster_excellence_bw", awarded_on=datetime.date.today(), awarded_year=None
        )
        page = text(profile(client, record.slug))
        end = datetime.date.today().replace(year=datetime.date.today().year + 2)
        assert f"gültig bis {end:%d.%m.%Y} – gültig" in page

    def test_a_historical_entry_says_so_with_the_year_its_work_ended(self, client):
        page = text(profile(client, "leichtbau-bw"))
        assert "Historischer Eintrag – Tätigkeit beendet 2022." in page
        assert (
            "Die Landesagentur hat ihre operative Tätigkeit Ende 2022 nach einem "
            "Kabinettsbeschluss eingestellt." in page
        )
        assert page.count("Historischer Eintrag") == 1

    def test_an_unconfirmed_listing_says_the_sources_do_not_show_it(self, client):
        page = text(profile(client, "amcrs"))
        assert "Eintrag in der Clusterdatenbank nicht bestätigt" in page
        assert "Ob die Initiative in der Clusterdatenbank geführt wird, ist nicht belegt." in page
        assert "Historischer Eintrag" not in page
        without_note = factories.initiative(listing_confirmed=False)
        assert "Die Quellen belegen nicht, dass diese Initiative in der Clusterdatenbank" in text(
            profile(client, without_note.slug)
        )

    def test_research_notes_never_reach_the_public_page(self, client):
        biolago = ClusterInitiative.objects.get(slug="biolago")
        assert "Stammtisch" in biolago.research_notes
        assert "Stammtisch" not in profile(client, "biolago")
        record = factories.initiative(research_notes="INTERN-Vermerk-4711", fields=["leichtbau"])
        assert "INTERN-Vermerk-4711" not in profile(client, record.slug)

    def test_the_contact_person_is_shown_only_with_consent(self, client):
        values = {
            "contact_person": "Erika Musterfrau",
            "contact_email": "erika@example.org",
            "contact_phone": "0711 123456",
        }
        hidden = factories.initiative(contact_consent=False, **values)
        shown = factories.initiative(contact_consent=True, **values)
        without = profile(client, hidden.slug)
        assert "Erika Musterfrau" not in without
        assert "erika@example.org" not in without
        assert "0711 123456" not in without
        assert "nur mit ihrer Einwilligung veröffentlicht" in without
        page = profile(client, shown.slug)
        assert "Erika Musterfrau" in page
        assert 'href="mailto:erika@example.org"' in page
        assert "0711 123456" in page

    def test_it_shows_every_known_fact_and_names_the_unknown_ones(self, client):
        page = text(profile(client, "cluster-elektromobilitaet-sued-west"))
        assert "Mitgliederzahl 80 (Stand 2014), ungefähr oder Mindestwert" in page
        assert "Angaben laut Quellen >80 partners (2014)" in page
        assert "Region landesweit (Baden-Württemberg)" in page
        assert "Kreis des Sitzes Stuttgart (Stadtkreis)" in page
        assert "Gründung 2008" in page
        assert "Automotive : Elektromobilität" in page
        assert (
            "Nicht in den Quellen angegeben: Website, Organisationsform, "
            "Beschäftigte im Clustermanagement, Kurzbeschreibung" in page
        )
        # Known values are not listed as unknown; empty ones get no row.
        assert "Gründungsjahr," not in page
        assert "Organisationsform</dt>" not in profile(
            client, "cluster-elektromobilitaet-sued-west"
        )

    def test_a_full_record_shows_staff_members_share_and_texts(self, client):
        record = factories.initiative(
            "Netzwerk Vollständig",
            fields=["leichtbau"],
            legal_form="e.V.",
            founded_year=2009,
            founding_occasion="Landeswettbewerb",
            staff_count=4,
            staff_fte="2.50",
            staff_year=2021,
            description="Kurz gesagt.",
            goals="Ziele hier.",
            services="Beratung und Veranstaltungen.",
            activities_per_year=12,
            member_count=40,
            member_count_year=2021,
            member_companies_count=30,
            website="https://example.org/netzwerk",
        )
        page = text(profile(client, record.slug))
        assert "Gründung 2009 – Landeswettbewerb" in page
        assert "4 Beschäftigte, 2,50 Vollzeitäquivalente (Stand 2021)" in page
        assert "davon Unternehmen 30 (75 %)" in page
        assert "Kurz gesagt." in page and "Ziele hier." in page
        assert "Aktivitäten pro Jahr 12" in page
        assert "Nicht in den Quellen angegeben: Clustermanagement / Kontaktorganisation." in page
        html = profile(client, record.slug)
        assert '<a href="https://example.org/netzwerk" rel="noopener">' in html

    def test_the_member_list_is_capped_and_says_how_many_more_there_are(self, client, monkeypatch):
        monkeypatch.setattr(profile_module, "MEMBER_LIMIT", 3)
        record = factories.initiative(fields=["leichtbau"])
        factories.members(record, companies=4, others=1)
        page = text(profile(client, record.slug))
        assert "Mitgliederliste 5 Organisationen, davon 4 Unternehmen" in page
        assert "und 2 weitere Organisationen" in page
        assert page.count("Testorganisation") == 3

    def test_the_parts_rendered_once_follow_the_language_and_the_data(self, client):
        # The member list and the criteria are kept rendered per data version and language
        # (registry/profile.py): each language gets its own, and a new member shows at once.
        record = factories.initiative(fields=["leichtbau"])
        factories.members(record, companies=2)
        german = text(profile(client, record.slug))
        english = text(client.get(f"/en/cluster/{record.slug}/").content.decode())
        assert "Unternehmen" in german and "Unternehmen" not in english and "Company" in english
        assert "von 7 Kriterien sind durch die Daten belegt." in german
        assert "of 7 criteria are shown by the data." in english and "Kriterien" not in english
        factories.members(record, companies=1)
        assert text(profile(client, record.slug)).count("Testorganisation") == 3

    def test_it_groups_technology_fields_under_their_top_level_field(self, client):
        html = profile(client, "amcrs")
        assert (
            '<a href="/cluster/?field=creative-industries">Kreativwirtschaft</a>: '
            "Animation, Medien, VFX" in html
        )

    def test_it_evaluates_the_seven_admission_criteria(self, client):
        page = text(profile(client, "cluster-elektromobilitaet-sued-west"))
        assert "2 von 7 Kriterien sind durch die Daten belegt." in page
        assert "Technologiefeld Zuordnung zu mindestens einem Technologiefeld" in page
        assert page.count("✓ erfüllt") == 2
        assert page.count("nicht durch die Daten belegt") == 5
        assert 'href="/cluster/aufnahmekriterien/"' in profile(
            client, "cluster-elektromobilitaet-sued-west"
        )

    def test_it_links_sources_related_initiatives_and_the_json_twin(self, client):
        html = profile(client, "technologymountains")
        assert (
            '<link rel="alternate" type="application/json" '
            'href="/api/v1/initiatives/technologymountains">' in html
        )
        for source in SourceReference.objects.filter(initiative__slug="technologymountains"):
            assert f'<a href="{source.url}" rel="noopener">' in html
        related = re.search(r'id="related-heading".*?</ul>', html, re.S).group(0)
        assert "MedCare TechArea" in related and "MedicalMountains GmbH" in related

    def test_the_small_map_has_the_region_the_kreis_and_the_licence_notice(self, client):
        html = profile(client, "biolago")
        assert 'id="profile-map-data"' in html
        assert "Lage ungefähr (Mitte des Kreises)" in html
        assert "Region Hochrhein-Bodensee, Kreis Konstanz (Landkreis)" in text(html)
        assert (
            '<a href="http://www.bkg.bund.de">© GeoBasis-DE / BKG 2021 (Daten verändert)</a>'
            in html
        )
        assert 'href="https://www.govdata.de/dl-de/by-2-0"' in html

    def test_an_entry_without_any_place_has_no_map_and_no_map_notice(self, client):
        page = profile(client, "fan")
        assert "profile-map" not in page
        assert "GeoBasis-DE" not in page
        assert "ohne Ortsangabe" in page

    def test_an_unknown_or_unpublished_slug_is_not_found(self, client):
        draft = factories.initiative(status=ClusterInitiative.Status.DRAFT)
        assert client.get("/cluster/gibt-es-nicht/").status_code == 404
        assert client.get(f"/cluster/{draft.slug}/").status_code == 404

    def test_its_query_count_does_not_grow_with_labels_fields_or_members(
        self, client, django_assert_num_queries
    ):
        small = factories.initiative(
            fields=["leichtbau"],
            region=factories.region("region-neckar-alb"),
            seat_kreis=factories.region("landkreis-tuebingen"),
        )
        rich = rich_initiative()
        assert Membership.objects.filter(initiative=rich).count() == 6
        for record in (small, rich):
            # The first view builds the registry index and its outlines (once per process).
            client.get(f"/cluster/{record.slug}/")
            with django_assert_num_queries(PROFILE_QUERIES):
                assert client.get(f"/cluster/{record.slug}/").status_code == 200


class TestEscaping:
    ATTACK = '<script>alert("x")</script>'

    def test_html_in_a_name_or_text_is_shown_as_text_on_profile_list_and_map(self, client):
        record = factories.initiative(
            f"Böse {self.ATTACK}",
            fields=["leichtbau"],
            description=f"Beschreibung {self.ATTACK}",
            region=factories.region("region-stuttgart"),
            latitude=48.7,
            longitude=9.1,
        )
        for url in (record.get_absolute_url(), f"{LIST_URL}?q=Böse", "/karte/?q=Böse"):
            html = client.get(url).content.decode()
            assert self.ATTACK not in html, url
            assert "alert(" in html or "alert(&quot;" in html  # present, as text
        assert "Böse &lt;script&gt;" in client.get(record.get_absolute_url()).content.decode()

    def test_a_javascript_website_is_rejected_by_the_model_and_never_linked(self, client):
        record = factories.initiative(website="javascript:alert(1)")
        with pytest.raises(ValidationError) as error:
            record.full_clean()
        assert "website" in error.value.message_dict
        SourceReference.objects.create(initiative=record, url="javascript:alert(2)")
        html = profile(client, record.slug)
        assert 'href="javascript:' not in html
        assert "javascript:alert(1)" in html  # shown as text


class TestList:
    def test_a_page_after_the_last_is_a_404_saying_so_in_the_pages_language(self, client):
        response = client.get(f"{LIST_URL}?page=7")
        assert response.status_code == 404
        assert "Seite 7 gibt es nicht; die letzte Seite ist 6." in response.content.decode()
        english = client.get(f"/en{LIST_URL}?page=7").content.decode()
        assert "Page 7 does not exist; the last page is 6." in english

    def test_facet_links_keep_the_other_filters_and_reset_the_page(self, client):
        html = client.get(f"{LIST_URL}?kind=cluster_initiative&sort=-name&page=2").content.decode()
        assert 'href="?kind=cluster_initiative&amp;sort=-name&amp;region=region-stuttgart"' in html

    def test_the_sort_form_and_the_pagination_keep_the_filters(self, client):
        html = client.get(f"{LIST_URL}?kind=cluster_initiative&field=automotive").content.decode()
        assert '<input type="hidden" name="kind" value="cluster_initiative">' in html
        assert '<input type="hidden" name="field" value="automotive">' in html
        html = client.get(f"{LIST_URL}?kind=cluster_initiative").content.decode()
        assert 'href="?kind=cluster_initiative&amp;page=2" rel="next"' in html

    def test_active_filters_show_as_chips_that_remove_one_filter_each(self, client):
        html = client.get(
            f"{LIST_URL}?q=technik&region=region-stuttgart&kind=cluster_initiative&active=yes"
        ).content.decode()
        chips = re.search(r'<ul class="active-filters">.*?</ul>', html, re.S).group(0)
        assert 'href="?region=region-stuttgart&amp;kind=cluster_initiative&amp;active=yes"' in chips
        assert 'href="?q=technik&amp;kind=cluster_initiative&amp;active=yes"' in chips
        assert 'href="?q=technik&amp;region=region-stuttgart&amp;kind=cluster_initiative"' in chips
        assert "Region:</span> Stuttgart" in chips
        assert "Stand:</span> aktiv" in chips

    def test_the_single_valued_status_filter_is_replaced_not_added(self, client):
        html = client.get(f"{LIST_URL}?active=yes").content.decode()
        assert 'href="?active=no"' in html
        assert 'href="?"' in html  # deselect "aktiv"

    def test_it_links_to_the_map_with_the_same_filters(self, client):
        html = client.get(f"{LIST_URL}?field=automotive&sort=-name&page=1").content.decode()
        assert 'href="/karte/?field=automotive"' in html

    def test_a_bad_filter_value_is_a_400_naming_the_field(self, client):
        response = client.get(f"{LIST_URL}?kind=bakery")
        assert response.status_code == 400
        assert "<code>kind</code>" in response.content.decode()

    def test_its_query_count_is_fixed(
        self, client, django_assert_num_queries, fresh_registry_index
    ):
        client.get(f"{LIST_URL}?page=2&page_size=1")  # builds the index, reads one row
        # 1 data version, 3 for the 99 rows not read yet (with their fields and labels)
        with django_assert_num_queries(4):
            client.get(f"{LIST_URL}?page_size=100")
        # Every row read before: the data version only.
        with django_assert_num_queries(1):
            client.get(f"{LIST_URL}?page_size=5")


class TestCriteriaPage:
    def test_its_address_is_not_taken_for_an_initiative_slug(self, client):
        response = client.get("/cluster/aufnahmekriterien/")
        assert response.status_code == 200
        assert response.resolver_match.url_name == "criteria"

    def test_it_lists_the_seven_criteria_with_their_source_and_counts(self, client):
        html = client.get("/cluster/aufnahmekriterien/").content.decode()
        assert html.count('<tr id="kriterium-') == 7
        assert (
            'href="https://www.clusterportal-bw.de/clusterdaten/'
            'aufnahmekriterien-der-clusterdatenbank/"' in html
        )
        # 100 of 102 entries have a technology field; no entry meets all seven.
        assert re.search(r'href="/cluster/\?criteria=field">\s*100 von 102', html)
        assert re.search(r'href="/cluster/\?criteria=all">.*?: 0 von 102', html, re.S)

    def test_the_list_and_profile_link_to_it(self, client):
        assert 'href="/cluster/aufnahmekriterien/"' in client.get(LIST_URL).content.decode()
        assert 'href="/cluster/aufnahmekriterien/"' in profile(client, "biolago")


@pytest.mark.parametrize(
    "url", [LIST_URL, "/cluster/biolago/", "/cluster/aufnahmekriterien/", "/karte/"]
)
def test_pages_have_no_inline_script_style_or_event_handler(client, url):
    """A Content-Security-Policy without 'unsafe-inline' must not break them."""
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
