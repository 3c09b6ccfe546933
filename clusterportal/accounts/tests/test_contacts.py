"""The regional contacts' public pages: nothing without consent, shown with it, hidden on withdrawal."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from clusterportal.accounts import contacts
from clusterportal.accounts.models import ContactProfile, Role, grant
from clusterportal.regions.models import Region
from clusterportal.tests.personas import account

pytestmark = pytest.mark.django_db

NECKAR_ALB = "/cluster/kontakte/region-neckar-alb/"
INDEX = "/cluster/kontakte/"
NO_CONTACT = "Für diese Region ist noch kein Clusterkontakt eingetragen"


def details(user, *, consent: bool, **values) -> ContactProfile:
    fields = {
        "display_name": "Rainer Regional",
        "organisation": "Regionalverband Neckar-Alb",
        "email": "kontakt@neckar-alb.example",
        "phone": "+49 7473 9509 0",
        **values,
    }
    profile = ContactProfile.objects.create(user=user, **fields)
    if consent:
        profile.give_consent(contacts.CONSENT_VERSION)
    return profile


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TestConsent:
    def test_without_consent_nothing_of_the_contact_shows(self, client, people):
        details(people.rainer, consent=False)
        html = page(client, NECKAR_ALB)
        assert "Rainer Regional" not in html
        assert "kontakt@neckar-alb.example" not in html
        assert NO_CONTACT in html
        assert "Rainer Regional" not in page(client, INDEX)

    def test_with_consent_name_organisation_email_and_phone_show(self, client, people):
        details(people.rainer, consent=True)
        html = page(client, NECKAR_ALB)
        for text in ("Rainer Regional", "Regionalverband Neckar-Alb", "+49 7473 9509 0"):
            assert text in html
        assert 'href="mailto:kontakt@neckar-alb.example"' in html
        assert NO_CONTACT not in html

    def test_withdrawing_consent_hides_the_contact_at_once(self, client, people):
        details(people.rainer, consent=True)
        assert "Rainer Regional" in page(client, NECKAR_ALB)
        client.force_login(people.rainer)
        response = client.post("/konto/uebersicht/kontaktangaben/widerrufen/")
        assert response.status_code == 302
        client.logout()
        assert "Rainer Regional" not in page(client, NECKAR_ALB)
        profile = ContactProfile.objects.get(user=people.rainer)
        assert profile.consent_given_at is None and profile.consent_text == ""
        assert profile.display_name == "Rainer Regional"  # kept for the person, not shown

    def test_the_form_records_the_date_and_the_version_of_the_consent_text(self, client, people):
        client.force_login(people.rainer)
        form = page(client, "/konto/uebersicht/kontaktangaben/")
        assert str(contacts.CONSENT_TEXTS["kontakt-v1"]) in form
        response = client.post(
            "/konto/uebersicht/kontaktangaben/",
            {
                "display_name": "Rainer Regional",
                "organisation": "Regionalverband Neckar-Alb",
                "email": "kontakt@neckar-alb.example",
                "phone": "07473 95090",
                "consent": "on",
            },
        )
        assert response.status_code == 302
        profile = ContactProfile.objects.get(user=people.rainer)
        assert profile.consent_text == "kontakt-v1"
        assert profile.consent_given_at is not None
        assert "07473 95090" in page(client, NECKAR_ALB)

    def test_saving_without_the_consent_box_keeps_the_details_private(self, client, people):
        details(people.rainer, consent=True)
        client.force_login(people.rainer)
        response = client.post(
            "/konto/uebersicht/kontaktangaben/",
            {"display_name": "Rainer R.", "email": "kontakt@neckar-alb.example"},
        )
        assert response.status_code == 302
        profile = ContactProfile.objects.get(user=people.rainer)
        assert not profile.is_public and profile.display_name == "Rainer R."
        assert "Rainer R." not in page(client, NECKAR_ALB)

    def test_the_form_names_each_invalid_field_and_stores_nothing(self, client, people):
        client.force_login(people.rainer)
        response = client.post(
            "/konto/uebersicht/kontaktangaben/",
            {"display_name": "", "email": "kein-name", "phone": "<script>", "consent": "on"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        for field in ("id_display_name_error", "id_email_error", "id_phone_error"):
            assert field in html
        assert 'aria-invalid="true"' in html
        assert not ContactProfile.objects.filter(user=people.rainer).exists()

    def test_a_deactivated_account_is_not_shown(self, client, people):
        details(people.rainer, consent=True)
        people.rainer.is_active = False
        people.rainer.save()
        assert "Rainer Regional" not in page(client, NECKAR_ALB)


class TestWhoMayPublish:
    @pytest.mark.parametrize(("persona", "status"), [("rainer", 200), ("clara", 200)])
    def test_regional_contacts_and_curators_may_keep_public_details(
        self, client, people, persona, status
    ):
        client.force_login(getattr(people, persona))
        assert client.get("/konto/uebersicht/kontaktangaben/").status_code == status

    @pytest.mark.parametrize("persona", ["mia", "ute"])
    def test_managers_and_company_users_may_not(self, client, people, persona):
        client.force_login(getattr(people, persona))
        assert client.get("/konto/uebersicht/kontaktangaben/").status_code == 403
        response = client.post("/konto/uebersicht/kontaktangaben/", {"display_name": "X", "consent": "on"})  # fmt: skip
        assert response.status_code == 403
        assert not ContactProfile.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_the_login(self, client, people):
        response = client.get("/konto/uebersicht/kontaktangaben/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]

    def test_the_rule_answers_both_ways(self, people):
        assert people.rainer.has_perm("accounts.publish_contact_details")
        assert people.clara.has_perm("accounts.publish_contact_details")
        for user in (people.mia, people.max, people.ute, people.anonymous):
            assert not user.has_perm("accounts.publish_contact_details")


class TestPages:
    def test_a_region_without_a_contact_names_the_consenting_curators_instead(self, client, people):
        details(people.clara, consent=True, display_name="Clara Curator", organisation="ClusterAgentur", email="clara@clusteragentur.example")  # fmt: skip
        html = page(client, "/cluster/kontakte/region-stuttgart/")
        assert NO_CONTACT in html
        assert "Clara Curator" in html and "mailto:clara@clusteragentur.example" in html

    def test_without_any_public_curator_the_page_names_the_operators_and_invents_no_address(
        self, client, people
    ):
        html = page(client, "/cluster/kontakte/region-stuttgart/")
        assert NO_CONTACT in html
        assert "Betreiber dieses Portals" in html
        assert "mailto:" not in html

    def test_a_contact_is_listed_for_their_own_region_only(self, client, people):
        details(people.rainer, consent=True)
        assert "Rainer Regional" not in page(client, "/cluster/kontakte/region-stuttgart/")

    def test_a_contact_of_two_regions_is_listed_on_both(self, client, people):
        details(people.rainer, consent=True)
        grant(people.rainer, Role.Kind.REGIONAL_CONTACT, region=Region.objects.get(slug="region-stuttgart"))  # fmt: skip
        assert "Rainer Regional" in page(client, "/cluster/kontakte/region-stuttgart/")
        assert "Rainer Regional" in page(client, NECKAR_ALB)

    def test_the_index_lists_the_twelve_regionen_with_their_contacts(
        self, client, people, django_assert_num_queries
    ):
        details(people.rainer, consent=True)
        other = account("sara.sued@example.org")
        grant(other, Role.Kind.REGIONAL_CONTACT, region=Region.objects.get(slug="region-stuttgart"))  # fmt: skip
        details(other, consent=True, display_name="Sara Süd", organisation="WRS")
        with django_assert_num_queries(3):  # the Regionen, their contacts, the curators
            html = client.get(INDEX).content.decode()
        rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
        assert len(rows) == 12
        neckar_alb = next(row for row in rows if "Neckar-Alb" in row)
        assert "Rainer Regional" in neckar_alb
        assert "Sara Süd" in next(row for row in rows if ">Stuttgart<" in row)
        assert sum("noch nicht eingetragen" in row for row in rows) == 10

    @pytest.mark.parametrize("slug", ["landkreis-tuebingen", "baden-wuerttemberg", "gibt-es-nicht"])
    def test_only_the_regionen_have_a_contact_page(self, client, people, slug):
        assert client.get(f"/cluster/kontakte/{slug}/").status_code == 404

    def test_the_english_twin_speaks_english(self, client, people):
        html = page(client, "/en" + NECKAR_ALB)
        assert "No cluster contact has been entered for this region yet." in html
        assert 'lang="en"' in html

    def test_html_in_contact_details_is_shown_as_text(self, client, people):
        details(people.rainer, consent=True, display_name='<script>alert("x")</script>')
        html = page(client, NECKAR_ALB)
        assert "<script>alert" not in html and "&lt;script&gt;" in html


class TestProfileLinks:
    def test_a_regional_initiative_links_to_the_contact_page_of_its_region(self, client, people):
        html = page(client, people.textiles.get_absolute_url())
        assert f'href="{NECKAR_ALB}"' in html
        assert contacts.contact_page_url(people.textiles) == NECKAR_ALB

    def test_a_statewide_network_links_to_the_curators(self, client, people):
        html = page(client, people.network.get_absolute_url())
        assert 'href="/cluster/kontakte/#landesweit"' in html
        html = page(client, INDEX)
        assert 'id="landesweit"' in html

    def test_every_published_profile_links_to_a_contact_page(self, people):
        from clusterportal.registry.models import ClusterInitiative

        urls = {contacts.contact_page_url(i) for i in ClusterInitiative.objects.published()}
        assert urls <= {
            f"/cluster/kontakte/{r.slug}/" for r in Region.objects.of_kind("region")
        } | {"/cluster/kontakte/#landesweit"}


def test_the_docs_quote_every_version_of_the_consent_text():
    docs = (Path(settings.BASE_DIR) / "docs" / "admission.md").read_text()
    words = " ".join(docs.replace("\n>", "\n").split())
    for version, text in contacts.CONSENT_TEXTS.items():
        assert version in docs
        assert " ".join(str(text).split()) in words
