"""German first, English second: the English interface, the German default, the switch."""

import html
import re

import pytest
from django.contrib.auth.models import User

from clusterportal.registry.tests.files import csv_bytes, upload

pytestmark = pytest.mark.django_db

# Interface words of the German pages that must never show on an English page.
GERMAN_UI = [
    "Clusterdatenbank", "Einträge", "Suchbegriff", "Sortierung", "Aufnahmekriterien",
    "Technologiefeld", "landesweit", "Landesweites Netzwerk", "Regionale Cluster-Initiative",
    "Kriterium", "nicht durch die Daten belegt", "Steckbrief", "Lage", "Karte der",
    "Kartengrundlage", "Daten verändert", "Landkreis", "Stadtkreis", "Quellen",
]  # fmt: skip


def visible(response) -> str:
    """The words a reader sees or hears: text, aria-labels, titles, placeholders, alt texts."""
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r"<script\b[^>]*>.*?</script>", " ", page, flags=re.S)
    spoken = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    words = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([words, *spoken])))


def assert_no_german_interface(page: str) -> None:
    # Web addresses and the quoted title of the source page are not interface text.
    page = re.sub(r"https?://\S+|“Aufnahmekriterien der Clusterdatenbank”", " ", page)
    found = [word for word in GERMAN_UI if re.search(rf"\b{re.escape(word)}\b", page)]
    assert not found, f"German interface text on an English page: {found}"


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
        page = visible(client.get("/en/cluster/"))
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

    def test_english_pages_cost_the_queries_of_german_ones(self, client, django_assert_num_queries):
        client.get("/en/cluster/")  # the process builds its registry index once
        with django_assert_num_queries(6):
            client.get("/en/cluster/?page_size=100")
        with django_assert_num_queries(4):
            client.get("/en/karte/")


class TestBackOffice:
    def test_the_admin_login_is_in_english(self, client):
        page = visible(client.get("/en/admin/login/"))
        assert "Clusterportal Baden-Württemberg – Back office" in page
        assert "Username" in page

    def test_the_admin_login_stays_german_at_the_default_address(self, client):
        page = visible(client.get("/admin/login/"))
        assert "Clusterportal Baden-Württemberg – Backoffice" in page
        assert "Benutzername" in page

    def test_the_admin_names_models_and_choices_in_english(self, client):
        client.force_login(User.objects.create_superuser("editor", "editor@example.org", "x"))
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
        client.force_login(User.objects.create_superuser("editor", "editor@example.org", "x"))
        response = client.post(self.URL, {"file": upload(data, "i.csv"), "import": "1"})
        assert response.status_code == 400
        response.status_code = 200  # visible() reads pages
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
