import re

import pytest

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class TestProfilePanel:
    def test_the_profile_shows_related_initiatives_in_other_fields_with_reasons(self, client):
        html = client.get("/cluster/medicalmountains/").content.decode()
        panel = html[
            html.index('id="cross-clustering-heading"') : html.index(
                "</section>", html.index('id="cross-clustering-heading"')
            )
        ]
        assert '<a href="/cluster/biopro/">BIOPRO Baden-Württemberg GmbH</a>' in panel
        assert "Gemeinsames übergeordnetes Feld: Gesundheitswirtschaft" in panel
        # Those sharing a specific field are the ordinary suggestions, not cross-clustering.
        assert "medcare-techarea" not in panel
        assert 'href="/vernetzung/"' in panel

    def test_the_english_profile_links_english_pages(self, client):
        html = client.get("/en/cluster/medicalmountains/").content.decode()
        assert "Related initiatives in other fields" in html
        assert '<a href="/en/cluster/biopro/">' in html


class TestNetworkPage:
    def test_every_initiative_with_its_links_as_svg_and_as_a_table(self, client):
        response = client.get("/vernetzung/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        assert html.count("<circle ") == 98
        summary = re.search(
            r"<p>(\d+) Initiativen, (\d+) Verbindungen über gemeinsame Felder", html
        )
        assert summary.group(1) == "98"
        rows = re.findall(r"<tr>\s*<td><a", html)
        assert len(rows) == html.count("<path d=")
        assert "Gemeinsame Felder: Gesundheitswirtschaft, Medizintechnik" in html

    def test_a_region_and_a_field_narrow_it(self, client):
        html = client.get(
            "/vernetzung/",
            {"region": "region-schwarzwald-baar-heuberg", "field": "medical-engineering"},
        ).content.decode()
        plain = text(html)
        # MedicalMountains, MedCare TechArea and TechnologyMountains have Medizintechnik there;
        # the page shows them and the initiatives linked to them, wherever those are (BIOPRO,
        # Stuttgart: the broad field Gesundheitswirtschaft), and only links that touch them.
        chosen = ("MedicalMountains GmbH", "MedCare TechArea", "TechnologyMountains e.V.")
        for name in chosen:
            assert name in plain
        assert "BIOPRO Baden-Württemberg GmbH" in plain
        assert "CyberForum" not in plain
        rows = re.findall(r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>\s*<td><a[^>]*>([^<]+)</a>", html)
        assert rows
        assert all(a.startswith(chosen) or b.startswith(chosen) for a, b in rows), rows

    def test_a_region_alone_shows_its_initiatives_and_their_links_out(self, client):
        html = client.get("/vernetzung/", {"region": "region-neckar-alb"}).content.decode()
        rows = re.findall(r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>\s*<td><a[^>]*>([^<]+)</a>", html)
        textiles = "Cluster Technische Textilien Neckar-Alb"
        # The Region's four initiatives share no field among themselves; the textiles
        # cluster shares Technische Textilien with AFBW (Stuttgart).
        assert (textiles, "Allianz Faserbasierte Werkstoffe Baden-Württemberg e.V. (AFBW)") in {
            tuple(sorted(pair, key=lambda name: name != textiles)) for pair in rows
        }

    def test_a_bad_parameter_is_a_400_page_naming_it(self, client):
        response = client.get("/vernetzung/", {"field": "gibt-es-nicht"})
        assert response.status_code == 400
        assert "<code>field</code>" in response.content.decode()
        assert "<svg" not in response.content.decode()

    def test_the_english_page(self, client):
        html = client.get("/en/vernetzung/").content.decode()
        assert "Networking: initiatives and related fields" in html
        assert '<td><a href="/en/cluster/' in html
        assert '<td><a href="/cluster/' not in html
        assert "Shared fields: Health economy, Medical engineering" in html

    def test_the_query_count_does_not_grow_with_the_network(
        self, client, django_assert_num_queries
    ):
        client.get("/vernetzung/")
        # The data version, the two choice lists, and the Region chosen.
        for query in ({"region": "region-stuttgart"}, {"region": "region-neckar-alb"}):
            with django_assert_num_queries(4):
                assert client.get("/vernetzung/", query).status_code == 200
        with django_assert_num_queries(3):
            assert client.get("/vernetzung/").status_code == 200
