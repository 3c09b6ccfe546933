"""German first, English second: the English interface, the German default, the switch."""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterportal.registry.tests.files import csv_bytes, upload

pytestmark = pytest.mark.django_db

# Interface words of the German pages that must never show on an English page.
GERMAN_UI = [
    "Clusterdatenbank", "Einträge", "Suchbegriff", "Sortierung", "Aufnahmekriterien",
    "Technologiefeld", "landesweit", "Landesweites Netzwerk", "Regionale Cluster-Initiative",
    "Kriterium", "nicht durch die Daten belegt", "Steckbrief", "Lage", "Karte der",
    "Kartengrundlage", "Daten verändert", "Landkreis", "Stadtkreis", "Quellen",
]  # fmt: skip
# And those of the atlas pages.
GERMAN_ATLAS_UI = [
    "Clusteratlas", "Standortquotient", "SQ", "Vergleichsraum", "Beschäftigte", "Betriebe",
    "starke Cluster", "Starke Cluster", "weiße Flecken", "Ausgabe", "Sterne", "Einstufung",
    "Wachstum", "Anteil", "Zeitreihe", "Verwandtschaftsdichte", "Datenquellen", "Tabelle",
    "Kreisfreie Stadt", "überregional", "lokal", "Jahr",
]  # fmt: skip
ATLAS = "/en/atlas/bw-kreise-2015-2020"


def visible(response) -> str:
    """The words a reader sees or hears: text, aria-labels, titles, placeholders, alt texts."""
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r"<script\b[^>]*>.*?</script>", " ", page, flags=re.S)
    spoken = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    words = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([words, *spoken])))


def assert_no_german_interface(page: str, words: list[str] = GERMAN_UI) -> None:
    # Web addresses, the quoted title of the source page and the citation the statistical
    # offices prescribe for their table are not interface text.
    page = re.sub(
        r"https?://\S+|“Aufnahmekriterien der Clusterdatenbank”|© Statistische Ämter [^–]*",
        " ",
        page,
    )
    found = [word for word in words if re.search(rf"\b{re.escape(word)}\b", page)]
    assert not found, f"German interface text on an English page: {found}"


def assert_no_german_atlas_interface(page: str) -> None:
    assert_no_german_interface(page, GERMAN_UI + GERMAN_ATLAS_UI)


def language_link(response, code: str) -> str:
    match = re.search(rf'<a href="([^"]*)" hreflang="{code}"', response.content.decode())
    assert match, f"no link to the {code} page"
    return html.unescape(match[1])


class TestEnglishPages:
    def test_the_list_is_in_english(self, client):
        page = visible(client.get("/en/cluster/"))
        assert '<html lang="en">' in client.get("/en/cluster/").content.decode()
        assert "Cluster database" in page
        assert "Cluster initiatives, state-wide networks and state agencies" in page
        assert "102 entries" in page
        assert "Sort by" in page and "Name A–Z" in page
        # Facets: labels and values in English, Kreise with their English designation.
        assert "State-wide network 21" in page
        assert "Regional cluster initiative 76" in page
        assert "Konstanz (rural district)" in page and "Stuttgart (urban district)" in page
        assert "Medical engineering" in page
        assert "Share of companies" in page
        assert_no_german_interface(page)

    def test_the_search_chip_quotes_the_search_text_the_english_way(self, client):
        assert "Search: “<b>technik”" in visible(client.get("/en/cluster/", {"q": "<b>technik"}))
        assert "Suche: „technik“" in visible(client.get("/cluster/", {"q": "technik"}))

    def test_english_technology_fields_are_in_english_alphabetical_order(self, client):
        html = client.get("/en/cluster/").content.decode()
        filters = html[html.index('<aside class="facets"') :]  # the results come before
        page = re.sub(r"<[^>]+>", " ", filters)
        assert page.index("Aerospace") < page.index("Aluminium processing")
        assert page.index("Aluminium processing") < page.index("Automotive")

    def test_a_profile_is_in_english(self, client):
        page = visible(client.get("/en/cluster/biolago/"))
        assert "Admission criteria of the cluster database" in page
        assert "1 of 7 criteria is shown by the data." in page
        assert "not shown by the data" in page
        assert "District of the seat Konstanz (rural district)" in page
        assert "Medical engineering" in page and "Health industry" in page
        assert "ECEI Gold – awarded in 2022 validity unknown" in page
        assert "Base map: © GeoBasis-DE / BKG 2021 (data modified)" in page
        assert_no_german_interface(page)

    def test_a_profile_shows_the_english_status_note(self, client):
        english = visible(client.get("/en/cluster/leichtbau-bw/"))
        german = visible(client.get("/cluster/leichtbau-bw/"))
        assert "Historical entry – activity ended in 2022." in english
        assert "The state agency ceased operations at the end of 2022" in english
        assert "Die Landesagentur hat ihre operative Tätigkeit Ende 2022" in german

    def test_the_map_is_in_english_with_english_texts_for_its_script(self, client):
        response = client.get("/en/karte/")
        page = visible(response)
        assert "Map of the cluster database" in page
        assert "over the 44 urban and rural districts of Baden-Württemberg" in page
        assert "historical entry (hollow dot)" in page
        assert "Table: 102 entries" in page and "No location given" in page
        assert 'data-zoom-in="Zoom in" data-zoom-out="Zoom out"' in response.content.decode()
        assert_no_german_interface(page)

    def test_the_map_outlines_name_the_kreise_in_english(self, client):
        names = [
            f["properties"]["name"]
            for f in client.get("/en/karte/kreise.geojson").json()["features"]
        ]
        assert "Böblingen (rural district)" in names and "Ulm (urban district)" in names

    def test_the_criteria_page_is_in_english(self, client):
        page = visible(client.get("/en/cluster/aufnahmekriterien/"))
        assert "Admission criteria of the cluster database" in page
        assert "How the portal checks it" in page
        assert "3. Technology field" in page and "100 of 102" in page
        assert "6. Partners" in page and "7. Share of companies" in page
        assert "What “not shown by the data” means" in page
        assert_no_german_interface(page)

    def test_numbers_in_messages_are_grouped_the_english_way(self):
        from django.utils import translation

        from clusterportal.lib.tables import TableError, read_table

        for language, expected in (("en", "6,291,456 bytes"), ("de", "6.291.456 Bytes")):
            with translation.override(language), pytest.raises(TableError, match=expected):
                read_table(b"x" * 6 * 1024 * 1024, "big.csv")

    def test_an_english_export_has_english_labels(self, client):
        response = client.get("/en/cluster/export.json", {"kind": "statewide_network"})
        row = response.json()["results"][0]
        assert (row["kind_label"], row["region"]) == ("State-wide network", "state-wide")

    def test_english_pages_cost_the_queries_of_german_ones(self, client):
        for path in ("/cluster/?page_size=100", "/karte/"):
            client.get(path)  # the process builds its registry index once
            client.get(f"/en{path}")
            with CaptureQueriesContext(connection) as german:
                client.get(path)
            with CaptureQueriesContext(connection) as english:
                client.get(f"/en{path}")
            assert len(english.captured_queries) == len(german.captured_queries) <= 6, path


class TestEnglishAtlas:
    def test_the_start_page_is_in_english_with_the_english_edition_texts(self, client):
        page = visible(client.get("/en/atlas/"))
        assert "Regional cluster atlas" in page
        assert "strong clusters without an initiative (“white spots”)" in page
        assert "United States: 50 states, 2016" in page
        assert "Germany: 401 Kreise and 16 Länder, 2015–2020" in page
        assert "Method: European Cluster Observatory (stars)" in page
        assert "Cluster definition: WZ 2008 section groups (11 groups)" in page
        assert "U.S. Benchmark Clusters (Delgado, Porter & Stern 2016), 67 clusters" in page
        assert "Location quotient (LQ):" in page
        assert_no_german_atlas_interface(page)

    def test_an_edition_names_its_regions_and_benchmark_in_english(self, client):
        page = visible(client.get("/en/atlas/de-kreise-2015-2020/"))
        assert "Benchmark region Germany" in page
        assert "Urban and rural districts (401)" in page and "German states (16)" in page
        assert "Flensburg (urban district)" in page and "Dithmarschen (district)" in page
        assert "Böblingen (rural district)" in page and "Stuttgart (urban district)" in page
        assert "Clusters Agriculture, forestry and fishing (A) (A, traded)" in page
        assert "No outlines of the Länder are shipped" in page
        assert_no_german_atlas_interface(page)

    def test_the_region_page_of_region_stuttgart_is_in_english(
        self, client, django_assert_num_queries
    ):
        client.get(f"{ATLAS}/region/region/stuttgart/")  # the registry's mapping is read once
        with django_assert_num_queries(10):  # as many as the German page (atlas tests)
            response = client.get(f"{ATLAS}/region/region/stuttgart/")
        page = visible(response)
        assert "What this data can and cannot show: The data has only 11 groups" in page
        assert "Overview 2020 Employment (assigned to clusters) 1,270,983" in page
        assert "Strong clusters 2 (37.9 % of traded employment)" in page
        assert "Financial and insurance activities (K) – LQ 1.41, 48,840 employees" in page
        assert "Clusters of Region Stuttgart: location quotient, growth and size" in page
        assert "Location quotient (log)" in page and "Annual employment growth rate" in page
        assert "Cluster portfolio" in page and "Change 2015–2020" in page
        assert "Relatedness density" in page
        assert "Cluster initiatives and white spots" in page
        assert "White spots: cannot be judged with these data" in page
        assert "14 active entries of the cluster database belong to this region." in page
        assert "© GeoBasis-DE / BKG 2021 (data modified)" in page
        assert "Data licence Germany – attribution – version 2.0 (dl-de/by-2-0)" in page
        assert re.search(
            r"Suggested citation: Clusterportal, Regional cluster atlas, "
            r"edition bw-kreise-2015-2020, \d{1,2} [A-Z][a-z]+ \d{4}",
            page,
        )
        assert_no_german_atlas_interface(page)

    def test_the_region_page_of_michigan_is_in_english(self, client):
        page = visible(client.get("/en/atlas/us-states-2016/region/state/26/"))
        assert "Michigan US state" in page
        # LQ 5.805291 (clustermapping.us), rounded; it was shown cut off as 5.80.
        assert "Automotive – LQ 5.81, 172,490 employees strong top 10 %" in page
        assert "Share of the region’s traded employment 2016" in page
        assert "Classification" in page and "qualifying" in page
        assert "This edition covers only one year; there is no time series." in page
        assert_no_german_atlas_interface(page)

    def test_the_cluster_page_and_its_map_are_in_english(self, client):
        response = client.get(f"{ATLAS}/cluster/C/")
        page = visible(response)
        assert "Location quotient 2020: Urban and rural districts" in page
        assert "0 of 44 regions are strong in this cluster." in page
        assert "0.8 – 1.25" in page and "strong cluster (thick outline)" in page
        assert "Stuttgart (urban district) 78,103" in page
        assert "Table: 44 regions" in page and "Growth p.a." in page
        html_text = response.content.decode()
        assert 'data-zoom-in="Zoom in" data-zoom-out="Zoom out"' in html_text
        assert '"decimal": "."' in html_text and '"name": "Ulm (urban district)"' in html_text
        assert_no_german_atlas_interface(page)
        outlines = client.get(f"{ATLAS}/umrisse/kreis.geojson").json()["features"]
        assert "Konstanz (rural district)" in {f["properties"]["name"] for f in outlines}

    def test_the_compare_page_and_its_errors_are_in_english(self, client):
        query = "?region=region:stuttgart&region=kreis:08111&region=kreis:08212"
        page = visible(client.get(f"{ATLAS}/vergleich/{query}"))
        assert "Compare regions" in page and "Regions (up to ten)" in page
        assert "Location quotient and employment 2020" in page
        assert "In each cell: location quotient, with employment below." in page
        assert "Small multiples: location quotient by cluster" in page
        assert "Location quotient: Financial and insurance activities (K)" in page
        assert_no_german_atlas_interface(page)
        codes = ["08111", "08115", "08116", "08117", "08118", "08119", "08121", "08125"]
        codes += ["08126", "08127", "08128"]
        query = "&".join(f"region=kreis:{code}" for code in codes)
        response = client.get(f"{ATLAS}/vergleich/?{query}&year=2031")
        assert response.status_code == 400
        response.status_code = 200  # visible() reads pages
        errors = visible(response)
        assert "Regions: At most 10 regions can be compared; 11 are selected." in errors
        assert "Year: The year 2031 is not in the edition (years: 2015, 2016," in errors

    def test_the_api_cites_an_edition_in_the_language_asked_for(self, client):
        url = "/api/v1/atlas/editions/bw-kreise-2015-2020"
        english = client.get(url, headers={"accept-language": "en"}).json()["citation"]
        german = client.get(url).json()["citation"]
        assert re.fullmatch(
            r"Clusterportal, Regional cluster atlas, edition bw-kreise-2015-2020, "
            r"\d{1,2} [A-Z][a-z]+ \d{4}",
            english,
        )
        assert re.fullmatch(
            r"Clusterportal, Regionaler Clusteratlas, Ausgabe bw-kreise-2015-2020, "
            r"\d{1,2}\. [A-ZÄ][a-zä]+ \d{4}",
            german,
        )

    def test_the_german_atlas_pages_stay_german(self, client):
        response = client.get("/atlas/bw-kreise-2015-2020/cluster/C/")
        page = visible(response)
        assert "Standortquotient der Stadt- und Landkreise 2020" in page
        assert "0,8 – 1,25" in page and "Stuttgart (Stadtkreis) 78.103" in page
        assert 'data-zoom-in="Vergrößern"' in response.content.decode()
        region = visible(client.get("/atlas/bw-kreise-2015-2020/region/region/stuttgart/"))
        assert "Cluster-Initiativen und weiße Flecken" in region
        assert "SQ 1,41, 48.840 Beschäftigte" in region
        assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in region
        assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in region


def staff(client) -> None:
    from clusterportal.tests.personas import log_in_with_totp, with_totp

    log_in_with_totp(
        client, with_totp(User.objects.create_superuser("editor", "editor@example.org", "x"))
    )


class TestBackOffice:
    """The back office logs in through the portal's login page (clusterportal/admin.py)."""

    def test_the_admin_login_is_in_english(self, client):
        response = client.get("/en/admin/login/", follow=True)
        assert response.redirect_chain == [("/en/konto/login/?next=/en/admin/", 302)]
        page = visible(response)
        assert "Sign in" in page and "Password" in page

    def test_the_admin_login_stays_german_at_the_default_address(self, client):
        response = client.get("/admin/login/", follow=True)
        assert response.redirect_chain == [("/konto/login/?next=/admin/", 302)]
        page = visible(response)
        assert "Anmelden" in page and "Passwort" in page

    def test_the_admin_names_models_and_choices_in_english(self, client):
        staff(client)
        page = visible(client.get("/en/admin/registry/clusterinitiative/"))
        assert "Select cluster initiative to change" in page
        assert "Export selection in the import format (CSV)" in page
        assert "By admission criterion met" in page
        assert "State agency" in page


class TestApi:
    def test_facet_labels_follow_accept_language(self, client):
        def facet(response, name, value):
            return next(v["label"] for v in response.json()["facets"][name] if v["value"] == value)

        english = client.get("/api/v1/initiatives", headers={"accept-language": "en"})
        german = client.get("/api/v1/initiatives")
        assert facet(english, "kind", "statewide_network") == "State-wide network"
        assert facet(english, "criteria", "companies") == "Share of companies"
        assert facet(english, "kreis", "landkreis-konstanz") == "Konstanz (rural district)"
        assert facet(german, "kind", "statewide_network") == "Landesweites Netzwerk"
        assert facet(german, "kreis", "landkreis-konstanz") == "Konstanz (Landkreis)"

    def test_a_detail_names_its_criteria_in_english(self, client):
        detail = client.get("/api/v1/initiatives/biolago", headers={"accept-language": "en"})
        titles = [c["title"] for c in detail.json()["admission_criteria"]]
        assert titles[0] == "Contact organisation with contact details"
        assert "Partners" in titles


class TestGermanDefault:
    def test_german_stays_the_default_without_a_prefix_whatever_the_browser_asks(self, client):
        response = client.get("/cluster/", headers={"accept-language": "en-GB,en;q=0.9"})
        page = visible(response)
        assert '<html lang="de">' in response.content.decode()
        assert "Clusterdatenbank" in page and "102 Einträge" in page
        assert "Landesweites Netzwerk 21" in page and "Konstanz (Landkreis)" in page
        assert 'data-zoom-in="Vergrößern"' not in response.content.decode()  # no map here
        assert 'data-zoom-in="Vergrößern"' in client.get("/karte/").content.decode()

    def test_the_language_cookie_does_not_change_the_german_address(self, client):
        client.cookies["django_language"] = "en"
        assert "102 Einträge" in visible(client.get("/cluster/"))


class TestLanguageLinks:
    def test_they_point_to_the_same_profile_in_the_other_language(self, client):
        german = client.get("/cluster/biolago/")
        english = client.get("/en/cluster/biolago/")
        assert language_link(german, "en") == "/en/cluster/biolago/"
        assert language_link(english, "de") == "/cluster/biolago/"

    def test_they_keep_the_filters_of_a_list(self, client):
        english = client.get("/en/cluster/?region=region-stuttgart&sort=-founded")
        assert language_link(english, "de") == "/cluster/?region=region-stuttgart&sort=-founded"
        assert language_link(client.get("/karte/?kind=state_agency"), "en") == (
            "/en/karte/?kind=state_agency"
        )

    def test_they_lead_from_the_criteria_page_to_its_english_twin(self, client):
        link = language_link(client.get("/cluster/aufnahmekriterien/"), "en")
        assert link == "/en/cluster/aufnahmekriterien/"
        assert "How the portal checks it" in visible(client.get(link))


class TestEnglishImportErrors:
    URL = "/en/admin/registry/clusterinitiative/import/"

    def upload(self, client, data: bytes):
        staff(client)
        # The import runs as a background job; its report page names the errors.
        response = client.post(
            self.URL, {"file": upload(data, "i.csv"), "import": "1"}, follow=True
        )
        assert response.status_code == 200
        assert response.context["outcome"].failed
        return visible(response)

    def test_row_errors_of_an_upload_are_in_english(self, client):
        rows = [["name", "kind", "region", "founded"], ["Netz", "cluster", "Atlantis", "19x"]]
        page = self.upload(client, csv_bytes(rows))
        assert "3 errors in the file. Nothing was saved." in page
        assert "unknown region “Atlantis”" in page
        assert "“19x” is not a whole number" in page
        assert "“cluster” is not one of the values cluster_initiative" in page

    def test_a_file_that_cannot_be_read_is_named_in_english(self, client):
        page = self.upload(client, b"name\x00\x01\x02junk")
        assert "The file cannot be read. Nothing was saved." in page
        assert "i.csv: The file is binary, not a CSV text file." in page
