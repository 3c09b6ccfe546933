"""The account page: roles, API tokens made and revoked by their owner; invitations."""

import datetime

import pytest
from django.utils import timezone

from clusterportal.accounts.models import ApiToken, Invitation, Role
from clusterportal.tests.personas import log_in_with_totp, with_totp

pytestmark = pytest.mark.django_db

HOME = "/konto/uebersicht/"


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/konto/uebersicht/"


def test_the_page_lists_the_persons_roles(client, people):
    client.force_login(people.mia)
    page = client.get(HOME).content.decode()
    assert 'Clustermanagement: <a href="/cluster/cluster-technische-textilien-neckar-alb/">' in page


def test_a_new_token_is_shown_once_and_stored_as_a_hash(client, people):
    client.force_login(people.mia)
    response = client.post(f"{HOME}tokens/", {"name": "CRM"})
    assert response.status_code == 302
    token = ApiToken.objects.get(user=people.mia)
    first = client.get(HOME).content.decode()
    secret = first.split("<code>")[1].split("</code>")[0]
    assert ApiToken.digest_of(secret) == token.digest
    assert secret not in client.get(HOME).content.decode()


def test_a_token_is_revoked_by_its_owner_only(client, people):
    token, _secret = ApiToken.issue(people.mia)
    client.force_login(people.max)
    assert client.post(f"{HOME}tokens/{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(people.mia)
    client.post(f"{HOME}tokens/{token.pk}/widerrufen/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_overlong_token_purpose_is_refused(client, people):
    client.force_login(people.mia)
    client.post(f"{HOME}tokens/", {"name": "x" * 101})
    assert not ApiToken.objects.exists()


class TestInvitations:
    def invite(self, people, email="neue.kontakt@neckar-alb.example"):
        return Invitation.objects.create(
            email=email,
            kind=Role.Kind.REGIONAL_CONTACT,
            region=people.neckar_alb,
            invited_by=people.clara,
        )

    def test_accepting_gives_the_invited_role_once(self, client, people):
        invitation = self.invite(people, email=people.ute.email)
        # The role makes her staff, who must use TOTP: she has set it up already.
        with_totp(people.ute)
        log_in_with_totp(client, people.ute)
        response = client.post(f"{HOME}einladung/{invitation.key}/")
        assert response.status_code == 302
        assert list(people.ute.roles.values_list("kind", "region__slug")) == [
            ("regional_contact", "region-neckar-alb")
        ]
        assert client.post(f"{HOME}einladung/{invitation.key}/").status_code == 410
        assert people.ute.roles.count() == 1

    def test_an_expired_invitation_is_refused_and_gives_nothing(self, client, people):
        invitation = self.invite(people, email=people.ute.email)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        client.force_login(people.ute)
        response = client.post(f"{HOME}einladung/{invitation.key}/")
        assert response.status_code == 410
        assert "abgelaufen" in response.content.decode()
        assert not people.ute.roles.exists()

    def test_another_account_cannot_take_an_invitation(self, client, people):
        invitation = self.invite(people)
        client.force_login(people.ute)
        assert client.post(f"{HOME}einladung/{invitation.key}/").status_code == 403
        assert not Role.objects.filter(user=people.ute).exists()

    def test_an_unknown_key_is_404(self, client):
        assert client.get(f"{HOME}einladung/nichts/").status_code == 404

    def test_a_curator_invites_through_the_back_office_and_a_mail_goes_out(
        self, client, people, mailoutbox
    ):
        client.force_login(people.clara)
        response = client.post(
            "/admin/accounts/invitation/add/",
            {
                "email": "neu@region.example",
                "kind": "regional_contact",
                "region": people.neckar_alb.pk,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        invitation = Invitation.objects.get(email="neu@region.example")
        assert invitation.invited_by == people.clara
        (mail,) = mailoutbox
        assert mail.to == ["neu@region.example"]
        assert f"/konto/uebersicht/einladung/{invitation.key}/" in mail.body

    def test_a_cluster_manager_cannot_open_the_people_admin(self, client, people):
        people.mia.is_staff = True
        people.mia.save()
        log_in_with_totp(client, with_totp(people.mia))
        assert client.get("/admin/accounts/invitation/add/").status_code == 403
        assert client.get("/admin/accounts/role/").status_code == 403
