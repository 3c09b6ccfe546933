"""Aufnahme beantragen: account, draft, role and admission request in one step, routed to the Region's contact."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from clusterportal.accounts.models import Role
from clusterportal.changes import admission
from clusterportal.changes.models import ChangeRequest
from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db

FORM = "/cluster/aufnahme/"
SENT = "/cluster/aufnahme/eingegangen/"
APPLICANT = "neu@textilnetz.example"


def application(**values) -> dict:
    data = {
        "email": APPLICANT,
        "name": "Smart Textiles Alb",
        "kind": "cluster_initiative",
        "region": "region-neckar-alb",
        "seat_kreis": "landkreis-reutlingen",
        "website": "https://smart-textiles-alb.example",
        "description": "Ein Netzwerk für intelligente Textilien auf der Schwäbischen Alb.",
        "contact_person": "Petra Pfeiffer",
        "contact_email": "pfeiffer@smart-textiles-alb.example",
        "contact_phone": "07121 123456",
        "contact_consent": "on",
        "technology_fields": ["textiles-clothing"],
        "activities_per_year": "8",
        "member_count": "24",
        "member_companies_count": "15",
        "member_count_year": "2026",
        "note": "Gegründet 2025.",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def counts() -> tuple[int, int, int, int]:
    return (
        get_user_model().objects.count(),
        ClusterInitiative.objects.count(),
        Role.objects.count(),
        ChangeRequest.objects.count(),
    )


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST the form and run what waits for the commit (the mails)."""

    def post(data, url=FORM):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def draft_of(name="Smart Textiles Alb") -> ClusterInitiative:
    return ClusterInitiative.objects.get(name=name)


class TestAnonymousApplication:
    def test_it_creates_an_unverified_account_a_draft_the_role_and_the_admission_request(
        self, people, submit, mailoutbox
    ):
        response = submit(application())
        assert response.status_code == 302 and response["Location"] == SENT

        applicant = get_user_model().objects.get(email=APPLICANT)
        assert not applicant.has_usable_password()
        address = EmailAddress.objects.get(user=applicant)
        assert address.email == APPLICANT and address.primary and not address.verified

        draft = draft_of()
        assert draft.status == ClusterInitiative.Status.DRAFT
        assert draft.slug == "smart-textiles-alb"
        assert draft.region == people.neckar_alb
        assert draft.seat_kreis.slug == "landkreis-reutlingen"
        assert draft.description == ""  # the proposed values wait for approval
        assert Role.objects.filter(
            user=applicant, kind=Role.Kind.CLUSTER_MANAGER, initiative=draft
        ).exists()

        request = ChangeRequest.objects.get(initiative=draft)
        assert request.kind == ChangeRequest.Kind.ADMISSION
        assert request.status == ChangeRequest.Status.PENDING
        assert request.author == applicant
        assert request.note == "Gegründet 2025."
        assert request.changes["technology_fields"] == ["textiles-clothing"]
        assert request.changes["member_count"] == 24
        assert request.changes["contact_consent"] is True

        recipients = sorted(address for mail in mailoutbox for address in mail.to)
        assert recipients == sorted([APPLICANT, people.rainer.email])

    def test_the_regional_contact_is_mailed_with_what_they_need_to_decide(
        self, people, submit, mailoutbox
    ):
        submit(application())
        mail = next(m for m in mailoutbox if m.to == [people.rainer.email])
        assert mail.subject == "Aufnahmeantrag: Smart Textiles Alb"
        assert APPLICANT in mail.body
        assert "E-Mail-Adresse noch nicht bestätigt" in mail.body
        assert "Neckar-Alb" in mail.body and "Gegründet 2025." in mail.body
        assert "http://testserver/" in mail.body

    def test_the_applicant_confirms_the_address_with_allauths_link(
        self, client, people, submit, mailoutbox
    ):
        submit(application())
        mail = next(m for m in mailoutbox if m.to == [APPLICANT])
        link = re.search(r"http://testserver(/konto/confirm-email/\S+/)", mail.body).group(1)
        assert client.post(link).status_code == 302
        assert EmailAddress.objects.get(email=APPLICANT).verified

    def test_the_confirmation_page_says_what_happens_next(self, client, people, submit):
        submit(application())
        html = client.get(SENT).content.decode()
        assert "Wir haben eine E-Mail an neu@textilnetz.example geschickt" in html
        assert "Der regionale Clusterkontakt der Region Neckar-Alb prüft Ihren Antrag" in html
        assert 'href="/cluster/kontakte/region-neckar-alb/"' in html

    def test_the_draft_is_not_public_until_the_contact_approves_it(self, client, people, submit):
        submit(application())
        draft = draft_of()
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/initiatives/{draft.slug}").status_code == 404
        assert "Smart Textiles Alb" not in client.get("/cluster/?q=Smart+Textiles").content.decode()
        assert not ClusterInitiative.objects.published().filter(pk=draft.pk).exists()

        request = ChangeRequest.objects.get(initiative=draft)
        assert people.rainer.has_perm("registry.review_change", request)
        assert not people.max.has_perm("registry.review_change", request)
        request.approve(people.rainer)

        draft.refresh_from_db()
        assert draft.status == ClusterInitiative.Status.PUBLISHED
        assert draft.description.startswith("Ein Netzwerk für intelligente Textilien")
        assert draft.contact_person == "Petra Pfeiffer" and draft.contact_consent
        assert list(draft.technology_fields.values_list("slug", flat=True)) == ["textiles-clothing"]
        assert draft.confirmed_at is not None
        html = client.get(draft.get_absolute_url()).content.decode()
        assert "Ein Netzwerk für intelligente Textilien" in html

    @pytest.mark.parametrize(
        "decide, subject, lead",
        [
            (
                lambda r, who: r.approve(who),
                "Aufnahmeantrag #{n} angenommen / Application #{n} approved",
                "Der Eintrag steht jetzt öffentlich in der Clusterdatenbank",
            ),
            (
                lambda r, who: r.reject(who, "Kein Innovationsbezug erkennbar."),
                "Aufnahmeantrag #{n} abgelehnt / Application #{n} rejected",
                "Nachricht: Kein Innovationsbezug erkennbar.",
            ),
            (
                lambda r, who: r.ask_for_more(who, "Bitte die Mitgliederliste ergänzen."),
                "Rückfrage zum Aufnahmeantrag #{n} / Question about application #{n}",
                "Nachricht: Bitte die Mitgliederliste ergänzen.",
            ),
        ],
    )
    def test_the_applicant_hears_of_the_decision(
        self, people, submit, mailoutbox, django_capture_on_commit_callbacks, decide, subject, lead
    ):
        submit(application())
        request = ChangeRequest.objects.get(initiative=draft_of())
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decide(request, people.rainer)
        assert [mail.to for mail in mailoutbox] == [[APPLICANT]]
        mail = mailoutbox[0]
        assert mail.subject == subject.format(n=request.pk) + ": Smart Textiles Alb"
        assert lead in mail.body

    def test_two_applications_with_similar_names_get_distinct_slugs(self, people, submit):
        submit(application())
        submit(application(name="Smart-Textiles Alb", email="zwei@example.org"))
        assert draft_of("Smart-Textiles Alb").slug == "smart-textiles-alb-2"

    def test_a_slug_never_takes_a_word_of_the_cluster_urls(self, people, submit):
        submit(application(name="Aufnahme"))
        assert draft_of("Aufnahme").slug == "aufnahme-2"


class TestRouting:
    def test_a_statewide_network_goes_to_the_curators(self, people, submit, mailoutbox):
        submit(application(kind="statewide_network", region="", seat_kreis="stadtkreis-stuttgart"))
        draft = draft_of()
        assert draft.region.slug == "baden-wuerttemberg"
        request = ChangeRequest.objects.get(initiative=draft)
        assert people.clara.has_perm("registry.review_change", request)
        assert not people.rainer.has_perm("registry.review_change", request)
        mailed = {address for mail in mailoutbox for address in mail.to}
        assert people.clara.email in mailed and people.rainer.email not in mailed

    def test_a_region_without_a_contact_goes_to_the_curators(
        self, client, people, submit, mailoutbox
    ):
        submit(application(region="region-stuttgart", seat_kreis="stadtkreis-stuttgart"))
        mailed = {address for mail in mailoutbox for address in mail.to}
        assert people.clara.email in mailed and people.rainer.email not in mailed
        html = client.get(SENT).content.decode()
        assert "Die Kuratorinnen und Kuratoren der Clusterdatenbank prüfen Ihren Antrag" in html

    def test_without_curators_the_operators_decide(self, people, submit, mailoutbox):
        Role.objects.filter(kind=Role.Kind.CURATOR).delete()
        operator = get_user_model().objects.create_superuser("op", "op@example.org", "x")
        submit(application(kind="statewide_network", region="", seat_kreis="stadtkreis-stuttgart"))
        assert operator.email in {address for mail in mailoutbox for address in mail.to}


class TestLoggedInApplicant:
    def test_their_own_account_is_used_and_no_address_needs_confirming(
        self, client, people, submit, mailoutbox
    ):
        client.force_login(people.ute)
        users = get_user_model().objects.count()
        assert 'name="email"' not in client.get(FORM).content.decode()
        response = submit(application(email=None))
        assert response.status_code == 302
        assert get_user_model().objects.count() == users
        draft = draft_of()
        assert Role.objects.filter(user=people.ute, initiative=draft).exists()
        assert ChangeRequest.objects.get(initiative=draft).author == people.ute
        assert [mail.to for mail in mailoutbox] == [[people.rainer.email]]
        home = client.get("/konto/uebersicht/").content.decode()
        assert "Smart Textiles Alb" in home and "Aufnahmeantrag: zur Prüfung" in home


class TestBadInput:
    def test_an_invalid_email_is_named_and_nothing_is_created(self, client, people, submit):
        before = counts()
        response = submit(application(email="keine-adresse"))
        assert response.status_code == 400
        assert "id_email_error" in response.content.decode()
        assert counts() == before

    def test_a_missing_region_is_named_and_nothing_is_created(self, client, people, submit):
        before = counts()
        response = submit(application(region=""))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Bitte die Region der Initiative wählen." in html
        assert 'href="#id_region"' in html  # the error summary links to the field
        assert counts() == before

    def test_a_kreis_outside_the_region_is_refused(self, people, submit):
        response = submit(application(seat_kreis="stadtkreis-stuttgart"))
        assert response.status_code == 400
        assert "liegt nicht in der Region Neckar-Alb" in response.content.decode()

    def test_each_invalid_field_is_named(self, people, submit):
        before = counts()
        response = submit(
            application(
                name="",
                kind="state_agency",
                seat_kreis="gibt-es-nicht",
                website="javascript:alert(1)",
                description="x" * 5001,
                technology_fields=["gibt-es-nicht"],
                activities_per_year="-1",
                member_count="10",
                member_companies_count="11",
                member_count_year="20260",
                note="n" * 2001,
            )
        )
        assert response.status_code == 400
        html = response.content.decode()
        for field in (
            "name", "kind", "seat_kreis", "website", "description", "technology_fields",
            "activities_per_year", "member_companies_count", "member_count_year", "note",
        ):  # fmt: skip
            assert f"id_{field}_error" in html, field
        assert counts() == before

    def test_a_name_already_in_the_registry_is_refused(self, people, submit):
        response = submit(application(name=people.textiles.name))
        assert response.status_code == 400
        assert "schon eine Initiative eingetragen" in response.content.decode()

    def test_a_name_with_a_line_break_is_refused(self, people, submit):
        response = submit(application(name="Zwei\nZeilen"))
        assert response.status_code == 400
        assert counts()[1] == ClusterInitiative.objects.count()

    def test_html_in_the_application_stays_text(self, client, people, submit):
        attack = '<script>alert("x")</script>'
        submit(application(name=f"Netz {attack}"))
        client.force_login(get_user_model().objects.get(email=APPLICANT))
        for url in (SENT, "/konto/uebersicht/"):
            html = client.get(url).content.decode()
            assert attack not in html and "Netz &lt;script&gt;" in html, url

    def test_a_filled_honeypot_is_answered_like_a_success_and_stores_nothing(
        self, people, submit, mailoutbox
    ):
        before = counts()
        response = submit(application(zusatz="http://spam.example"))
        assert response.status_code == 302 and response["Location"] == SENT
        assert counts() == before and mailoutbox == []

    def test_nothing_is_half_created_when_a_step_fails(self, people, submit, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(ChangeRequest, "propose", fail)
        before = counts()
        with pytest.raises(RuntimeError):
            submit(application())
        assert counts() == before
        assert not EmailAddress.objects.filter(email=APPLICANT).exists()


class TestExistingAccount:
    def test_an_address_with_an_account_gets_a_mail_and_the_same_page_and_nothing_is_stored(
        self, client, people, submit, mailoutbox
    ):
        before = counts()
        response = submit(application(email=people.ute.email.upper()))
        assert response.status_code == 302 and response["Location"] == SENT
        assert counts() == before
        assert [mail.to for mail in mailoutbox] == [[people.ute.email.lower()]]
        assert "besteht bereits ein Konto" in mailoutbox[0].body
        assert "http://testserver/konto/login/" in mailoutbox[0].body
        html = client.get(SENT).content.decode()
        assert "Wir haben eine E-Mail an ute@unternehmen.example geschickt" in html


class TestPages:
    def test_the_form_is_accessible_without_javascript(self, client, people):
        html = client.get(FORM).content.decode()
        assert '<label for="id_name">' in html
        assert "<legend>" in html and 'aria-describedby="id_email_helptext"' in html
        assert 'tabindex="-1"' in html  # the honeypot stays out of the tab order

    def test_a_region_can_be_preselected(self, client, people):
        html = client.get(FORM + "?region=region-neckar-alb").content.decode()
        assert '<option value="region-neckar-alb" selected>' in html

    def test_the_confirmation_page_without_an_application_points_to_the_form(self, client):
        html = client.get(SENT).content.decode()
        assert f'href="{FORM}"' in html

    def test_the_english_twin_speaks_english(self, client, people):
        html = client.get("/en" + FORM).content.decode()
        assert "Apply for admission to the cluster database" in html

    def test_the_criteria_page_links_to_the_form(self, client, people):
        assert f'href="{FORM}"' in client.get("/cluster/aufnahmekriterien/").content.decode()


def test_the_reviewer_mail_links_the_review_screen_or_the_account_page(people, rf):
    request = ChangeRequest.propose(
        people.textiles, people.mia, {"city": "Albstadt"}, edit_token=None
    )
    url = admission.review_url(rf.get("/"), request)
    assert url.startswith("http://testserver/")
