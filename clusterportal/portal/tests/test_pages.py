"""The home page and the pages a German public site must have."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from clusterportal.portal.models import Feedback, Publisher

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class TestHomePage:
    def test_it_says_who_publishes_the_portal(self, client):
        page = text(client.get("/"))
        assert (
            "Herausgeber: Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg, "
            "Referat Clusterpolitik, regionale Wirtschaftspolitik." in page
        )

    def test_its_figures_are_those_of_the_shipped_data(self, client):
        # data/registry/bw_clusters.csv: 76 cluster initiatives, 21 state-wide networks,
        # 5 state agencies; 12 Regionen; 4 shipped atlas editions.
        page = text(client.get("/"))
        assert "76 regionale Cluster-Initiativen" in page
        assert "21 landesweite Netzwerke" in page
        assert "5 Landesagenturen" in page
        assert "12 Regionen" in page
        assert "mit regionalem Clusterkontakt" not in page  # no Region has entered one yet
        assert "8 Ausgaben des Clusteratlas" in page

    def test_each_figure_links_to_the_list_it_counts(self, client):
        html = client.get("/").content.decode()
        assert 'href="/cluster/?kind=statewide_network"' in html
        assert 'href="/cluster/kontakte/"' in html and 'href="/atlas/"' in html

    def test_the_search_box_searches_the_whole_portal(self, client):
        html = client.get("/").content.decode()
        assert 'action="/suche/"' in html and 'name="q"' in html

    def test_the_english_home_page_speaks_english(self, client):
        page = text(client.get("/en/"))
        assert (
            "Publisher: Ministry of Economic Affairs, Labour and Tourism Baden-Württemberg" in page
        )
        assert "76 regional cluster initiatives" in page

    def test_it_shows_the_next_events_or_points_to_the_archive(self, client):
        page = text(client.get("/"))
        assert "Derzeit sind keine kommenden Veranstaltungen eingetragen." in page
        import datetime

        from django.utils import timezone

        from clusterportal.events.models import Event

        Event.objects.create(
            slug="forum-2027", title="Cluster-Forum 2027", organiser="Test", status="published",
            starts_at=timezone.now() + datetime.timedelta(days=10),
        )  # fmt: skip
        assert "Cluster-Forum 2027" in text(client.get("/"))

    def test_it_shows_the_thema_des_monats_and_the_news_from_the_seeds(self, client):
        html = client.get("/").content.decode()
        assert 'href="/thema-des-monats/"' in html and 'href="/nachrichten/"' in html
        assert html.count('href="/nachrichten/') >= 3

    def test_an_edited_publisher_shows_at_once(self, client):
        Publisher.objects.update(name="Senatsverwaltung für Wirtschaft", unit="")
        assert "Herausgeber: Senatsverwaltung für Wirtschaft." in text(client.get("/"))

    def test_it_costs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        # the data version "home" and the next event's end (the key of the kept page),
        # publisher, initiatives by kind, Regionen, editions, Thema, news, next events
        with django_assert_num_queries(9):
            client.get("/")


class TestImprint:
    def test_it_gives_the_publishers_address_and_contact_with_the_source(self, client):
        page = text(client.get("/impressum/"))
        assert "Schlossplatz 4 (Neues Schloss) 70173 Stuttgart" in page
        assert "cluster@wm.bwl.de" in page and "+49 (0)711 123-2559" in page
        assert "Angaben nach: Ministerium für Wirtschaft, Arbeit und Tourismus" in page

    def test_it_offers_the_source_code_as_the_licence_asks(self, client, settings):
        settings.SOURCE_CODE_URL = ""
        page = text(client.get("/impressum/"))
        assert "AGPL-3.0-or-later" in page
        assert "Den Quellcode dieser Installation erhalten Sie beim Herausgeber" in page
        settings.SOURCE_CODE_URL = "https://code.example.org/clusterportal"
        html = client.get("/impressum/").content.decode()
        assert '<a href="https://code.example.org/clusterportal">Quellcode dieser' in html

    def test_without_a_publisher_it_says_so_instead_of_failing(self, client):
        Publisher.objects.all().delete()
        response = client.get("/impressum/")
        assert response.status_code == 200
        assert "noch nicht eingetragen" in text(response)
        assert client.get("/").status_code == 200


class TestAccessibilityStatement:
    def test_it_states_the_reply_time_and_the_feedback_address(self, client):
        page = text(client.get("/barrierefreiheit/"))
        assert "Wir antworten binnen 14 Tagen." in page
        assert "cluster@wm.bwl.de" in page
        assert "teilweise vereinbar" in page

    def test_the_fields_point_at_their_help_and_error_texts(self, client):
        """Every id a field's aria-describedby names is on the page (a screen reader reads
        them with the field); an empty message is the error case."""
        html = client.post("/barrierefreiheit/", {"message": ""}).content.decode()
        named = [i for ids in re.findall(r'aria-describedby="([^"]+)"', html) for i in ids.split()]
        assert "id_message_error" in named and "id_email_helptext" in named
        assert [i for i in named if f'id="{i}"' not in html] == []

    def test_feedback_is_stored_and_mailed_to_the_publisher(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/barrierefreiheit/",
                {"message": "Die Karte ist mit der Tastatur nicht bedienbar.", "page": "/karte/",
                 "email": "leserin@example.org"},
            )  # fmt: skip
        assert response.status_code == 302
        feedback = Feedback.objects.get()
        assert feedback.page == "/karte/" and feedback.email == "leserin@example.org"
        # Counted from the day in Berlin (between 23:00 and 24:00 UTC a day ahead of UTC's).
        received = timezone.localtime(feedback.created_at).date()
        assert (feedback.reply_due - received).days == 14
        [sent] = mail.outbox
        assert sent.to == ["cluster@wm.bwl.de"] and sent.reply_to == ["leserin@example.org"]
        assert "Die Karte ist mit der Tastatur nicht bedienbar." in sent.body
        page = text(client.get(response["Location"]))
        assert f"spätestens am {feedback.reply_due.day}." in page

    def test_an_empty_message_is_named_and_nothing_is_stored(self, client):
        response = client.post("/barrierefreiheit/", {"message": "  ", "email": "kaputt"})
        assert response.status_code == 400
        page = text(response)
        assert "Ihre Rückmeldung: Dieses Feld ist zwingend erforderlich." in page
        assert "E-Mail (optional): Bitte gültige E-Mail-Adresse eingeben." in page
        assert Feedback.objects.count() == 0 and mail.outbox == []

    def test_an_overlong_message_is_refused(self, client):
        response = client.post("/barrierefreiheit/", {"message": "x" * 5001})
        assert response.status_code == 400 and Feedback.objects.count() == 0

    def test_html_in_feedback_is_kept_as_text(self, client):
        client.post("/barrierefreiheit/", {"message": '<img src=x onerror="alert(1)"> ohne alt'})
        assert Feedback.objects.get().message == '<img src=x onerror="alert(1)"> ohne alt'

    def test_a_filled_honeypot_stores_nothing(self, client):
        response = client.post("/barrierefreiheit/", {"message": "Spam", "homepage": "x"})
        assert response.status_code == 302 and Feedback.objects.count() == 0


class TestFixedPages:
    def test_the_privacy_notice_names_the_publisher_as_operator(self, client, settings):
        settings.OPERATOR_NAME = ""
        page = text(client.get("/datenschutz/"))
        assert "Betreiber dieser Installation: Ministerium für Wirtschaft, Arbeit und" in page
        # No privacy contact set: questions go to the publisher's address, not a placeholder.
        assert "Fragen zum Datenschutz beantwortet der Herausgeber: cluster@wm.bwl.de" in page
        assert "trägt hier seinen Namen" not in page
        settings.OPERATOR_NAME = "Landesamt X"
        assert "Betreiber dieser Installation: Landesamt X." in text(client.get("/datenschutz/"))

    def test_the_privacy_notice_covers_event_registrations_and_feedback(self, client):
        page = text(client.get("/datenschutz/"))
        assert "Anmeldung zu Veranstaltungen" in page and "Teilnehmendenliste" in page
        assert "Rückmeldungen zur Barrierefreiheit" in page
        english = text(client.get("/en/datenschutz/"))
        assert "Registering for events" in english and "Feedback on accessibility" in english

    def test_easy_language_explains_the_portal_in_short_sentences(self, client):
        page = text(client.get("/leichte-sprache/"))
        assert "Ein Cluster ist eine Gruppe." in page
        assert "Das Portal kommt von: Ministerium für Wirtschaft" in page

    def test_every_page_links_the_legal_pages_in_its_footer(self, client):
        html = client.get("/cluster/").content.decode()
        for href in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]:
            assert f'href="{href}"' in html
        english = client.get("/en/cluster/").content.decode()
        assert 'href="/en/impressum/"' in english and ">Legal notice<" in english

    def test_robots_txt_keeps_crawlers_out_of_accounts_and_names_the_sitemap(self, client):
        body = client.get("/robots.txt").content.decode()
        assert "Disallow: /konto/" in body and "Disallow: /admin/" in body
        assert "Sitemap: http://testserver/sitemap.xml" in body

    def test_the_sitemap_lists_published_entries_in_both_languages(self, client):
        xml = client.get("/sitemap.xml").content.decode()
        assert "<loc>http://testserver/cluster/cars/</loc>" in xml
        assert 'hreflang="en" href="http://testserver/en/cluster/cars/"' in xml
        assert "<loc>http://testserver/impressum/</loc>" in xml
        assert xml.count("<url>") >= 2 * (102 + 4 + 12 + 3)
        assert "<loc>http://testserver/veranstaltungen/cluster-brunch-2016/</loc>" in xml

    def test_the_sitemap_lists_the_news_articles_and_the_content_pages(self, client):
        xml = client.get("/sitemap.xml").content.decode()
        for path in ("nachrichten/", "thema-des-monats/", "publikationen/", "clusterpolitik/"):
            assert f"<loc>http://testserver/{path}</loc>" in xml
        thema = "thema-des-monats/internationalisierung-von-cluster-initiativen/"
        assert f"<loc>http://testserver/{thema}</loc>" in xml
        assert f'hreflang="en" href="http://testserver/en/{thema}"' in xml
        # The list and the three shipped news articles (German addresses).
        assert xml.count("<loc>http://testserver/nachrichten/") == 1 + 3

    def test_the_favicon_is_an_icon(self, client):
        response = client.get("/favicon.ico")
        assert response["Content-Type"] == "image/x-icon"
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


class TestErrorPages:
    def test_an_unknown_address_gets_the_sites_404_in_its_language(self, client, settings):
        settings.DEBUG = False
        response = client.get("/gibt-es-nicht/")
        assert response.status_code == 404
        assert "Diese Seite gibt es nicht" in text(response)
        english = client.get("/en/does-not-exist/")
        assert english.status_code == 404 and "This page does not exist" in text(english)

    def test_the_500_page_needs_nothing_but_itself(self):
        from django.template.loader import get_template

        html = get_template("500.html").render()
        assert "Ein Fehler ist aufgetreten" in html and "Something went wrong" in html


class TestBackOffice:
    def test_the_curator_edits_the_publisher_and_the_contact_may_not(self, people):
        from django.test import Client

        from clusterportal.tests.personas import log_in_with_totp

        publisher = Publisher.current()
        url = f"/admin/portal/publisher/{publisher.pk}/change/"
        clara, rainer = Client(), Client()
        log_in_with_totp(clara, people.clara)
        log_in_with_totp(rainer, people.rainer)
        assert clara.get(url).status_code == 200
        assert rainer.get(url).status_code == 403
        assert rainer.get("/admin/portal/feedback/").status_code == 403
        assert clara.get("/admin/portal/feedback/").status_code == 200
        assert clara.get("/admin/portal/publisher/add/").status_code == 403  # one publisher


class TestMedia:
    def test_an_uploaded_file_is_served_and_nothing_outside_the_upload_folders(
        self, client, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (tmp_path / "geheim.txt").write_text("nicht öffentlich")
        response = client.get("/media/content/bild.png")
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        assert client.get("/media/geheim.txt").status_code == 404
        assert client.get("/media/content/../geheim.txt").status_code == 404
