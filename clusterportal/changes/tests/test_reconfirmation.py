"""Yearly re-confirmation: reminded after 12 months, flagged after 13, with fixed dates."""

import datetime

import pytest
from django.utils import timezone

from clusterportal.accounts.models import Role, grant
from clusterportal.changes.admission import due_confirmation_reminders
from clusterportal.registry.models import ClusterInitiative, Reconfirmation, months_before

pytestmark = pytest.mark.django_db

CONFIRMED = datetime.date(2025, 3, 10)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def confirmed_on(initiative: ClusterInitiative, day: datetime.date | None) -> ClusterInitiative:
    ClusterInitiative.objects.filter(pk=initiative.pk).update(confirmed_at=at(day) if day else None)
    initiative.refresh_from_db()
    return initiative


def managers_since(initiative: ClusterInitiative, day: datetime.date) -> None:
    Role.objects.filter(initiative=initiative).update(granted_at=at(day))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 10), 12, datetime.date(2025, 3, 10)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 3, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 1, 15), 13, datetime.date(2024, 12, 15)),
    ],
)
def test_months_are_calendar_months_and_a_missing_day_is_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


class TestWhenItIsDue:
    def test_a_confirmation_is_due_after_12_months_and_overdue_after_13(self, people):
        textiles = confirmed_on(people.textiles, CONFIRMED)
        assert textiles.needs_confirmation(datetime.date(2026, 3, 9)) is None
        assert textiles.needs_confirmation(datetime.date(2026, 3, 10)) is Reconfirmation.DUE
        assert textiles.needs_confirmation(datetime.date(2026, 4, 9)) is Reconfirmation.DUE
        assert textiles.needs_confirmation(datetime.date(2026, 4, 10)) is Reconfirmation.OVERDUE

    def test_the_queryset_agrees_with_the_model(self, people):
        confirmed_on(people.textiles, CONFIRMED)
        confirmed_on(people.cars, datetime.date(2025, 9, 1))
        in_march = ClusterInitiative.objects.unconfirmed_since(12, datetime.date(2026, 3, 10))
        assert list(in_march) == [people.textiles]
        assert in_march.get().last_confirmed == at(CONFIRMED)
        assert not ClusterInitiative.objects.unconfirmed_since(13, datetime.date(2026, 4, 9))
        in_october = ClusterInitiative.objects.unconfirmed_since(13, datetime.date(2026, 10, 1))
        assert set(in_october) == {people.textiles, people.cars}

    def test_a_profile_never_confirmed_counts_from_its_first_managers_role(self, people):
        textiles = confirmed_on(people.textiles, None)
        managers_since(textiles, datetime.date(2025, 6, 1))
        assert textiles.needs_confirmation(datetime.date(2026, 5, 31)) is None
        assert textiles.needs_confirmation(datetime.date(2026, 6, 1)) is Reconfirmation.DUE

    def test_entries_nobody_keeps_are_never_due(self, people):
        """The 102 shipped entries come from public sources; none has a manager."""
        network = confirmed_on(people.network, datetime.date(2020, 1, 1))
        assert network.needs_confirmation(datetime.date(2030, 1, 1)) is None
        far = ClusterInitiative.objects.unconfirmed_since(12, datetime.date(2100, 1, 1))
        assert set(far) == {people.textiles, people.cars}

    def test_drafts_and_archived_entries_are_never_due(self, people):
        confirmed_on(people.textiles, CONFIRMED)
        ClusterInitiative.objects.filter(pk=people.textiles.pk).update(status="archived")
        people.textiles.refresh_from_db()
        assert people.textiles.needs_confirmation(datetime.date(2030, 1, 1)) is None
        assert people.textiles not in ClusterInitiative.objects.unconfirmed_since(12, datetime.date(2030, 1, 1))  # fmt: skip


class TestReminders:
    def test_the_due_initiatives_come_with_their_active_managers(
        self, people, django_assert_num_queries
    ):
        confirmed_on(people.textiles, CONFIRMED)
        confirmed_on(people.cars, datetime.date(2026, 1, 1))
        from clusterportal.tests.personas import account

        second = account("zweite.managerin@textil.example")
        grant(second, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
        gone = account("ehemalig@textil.example")
        grant(gone, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
        gone.is_active = False
        gone.save()
        with django_assert_num_queries(2):
            due = due_confirmation_reminders(datetime.date(2026, 3, 10))
        assert due == [(people.textiles, [people.mia, second])]
        assert due[0][0].last_confirmed == at(CONFIRMED)

    def test_nothing_is_due_the_day_before(self, people):
        confirmed_on(people.textiles, CONFIRMED)
        assert due_confirmation_reminders(datetime.date(2026, 3, 9)) == []

    def test_confirming_ends_the_reminders(self, people):
        confirmed_on(people.textiles, CONFIRMED)
        people.textiles.confirm(by=people.mia)
        assert due_confirmation_reminders(timezone.localdate()) == []


class TestConfirmAction:
    def url(self, initiative) -> str:
        return f"/konto/uebersicht/profil/{initiative.slug}/bestaetigen/"

    def test_a_manager_confirms_their_profile(self, client, people):
        confirmed_on(people.textiles, CONFIRMED)
        client.force_login(people.mia)
        response = client.post(self.url(people.textiles), {"next": people.textiles.get_absolute_url()})  # fmt: skip
        assert response.status_code == 302
        assert response["Location"] == people.textiles.get_absolute_url()
        people.textiles.refresh_from_db()
        assert timezone.localdate(people.textiles.confirmed_at) == timezone.localdate()
        latest = people.textiles.history.latest()
        assert latest.history_change_reason == "Profil bestätigt"
        assert latest.history_user == people.mia

    def test_a_curator_may_confirm_too(self, client, people):
        client.force_login(people.clara)
        assert client.post(self.url(people.textiles)).status_code == 302

    @pytest.mark.parametrize("persona", ["max", "rainer", "ute"])
    def test_others_may_not(self, client, people, persona):
        confirmed_on(people.textiles, CONFIRMED)
        client.force_login(getattr(people, persona))
        assert client.post(self.url(people.textiles)).status_code == 403
        people.textiles.refresh_from_db()
        assert people.textiles.confirmed_at == at(CONFIRMED)

    def test_an_anonymous_visitor_is_sent_to_the_login(self, client, people):
        response = client.post(self.url(people.textiles))
        assert response.status_code == 302 and "/konto/login/" in response["Location"]

    def test_it_takes_a_post_only(self, client, people):
        client.force_login(people.mia)
        assert client.get(self.url(people.textiles)).status_code == 405

    def test_a_draft_cannot_be_confirmed(self, client, people):
        ClusterInitiative.objects.filter(pk=people.textiles.pk).update(status="draft")
        client.force_login(people.mia)
        assert client.post(self.url(people.textiles)).status_code == 404

    def test_an_outside_next_address_is_not_followed(self, client, people):
        client.force_login(people.mia)
        response = client.post(self.url(people.textiles), {"next": "https://evil.example/"})
        assert response["Location"] == "/konto/uebersicht/"


class TestProfilePage:
    def test_a_manager_sees_the_button_and_a_visitor_does_not(self, client, people):
        url = people.textiles.get_absolute_url()
        assert "Profil bestätigen" not in client.get(url).content.decode()
        client.force_login(people.max)
        assert "Profil bestätigen" not in client.get(url).content.decode()
        client.force_login(people.mia)
        assert "Profil bestätigen" in client.get(url).content.decode()

    def test_a_shipped_entry_says_it_was_not_yet_confirmed_and_is_not_flagged(self, client, people):
        html = client.get(people.network.get_absolute_url()).content.decode()
        assert "Das Clustermanagement hat diesen Eintrag im Portal noch nicht bestätigt." in html
        assert "seit mehr als 13 Monaten" not in html

    def test_after_13_months_a_kept_profile_shows_a_neutral_note(self, client, people):
        long_ago = months_before(timezone.localdate(), 14)
        confirmed_on(people.textiles, long_ago)
        html = client.get(people.textiles.get_absolute_url()).content.decode()
        assert f"Zuletzt bestätigt am {long_ago:%d.%m.%Y}." in html
        assert "seit mehr als 13 Monaten nicht bestätigt" in html

    def test_an_old_date_without_a_manager_is_not_flagged(self, client, people):
        confirmed_on(people.network, months_before(timezone.localdate(), 14))
        html = client.get(people.network.get_absolute_url()).content.decode()
        assert "Zuletzt bestätigt am" in html
        assert "seit mehr als 13 Monaten" not in html

    def test_a_recent_confirmation_shows_its_date_only(self, client, people):
        confirmed_on(people.textiles, months_before(timezone.localdate(), 2))
        html = client.get(people.textiles.get_absolute_url()).content.decode()
        assert "Zuletzt bestätigt am" in html and "seit mehr als 13 Monaten" not in html

    def test_the_account_page_lists_the_managed_profiles_with_their_state(self, client, people):
        confirmed_on(people.textiles, months_before(timezone.localdate(), 12))
        client.force_login(people.mia)
        html = client.get("/konto/uebersicht/").content.decode()
        assert people.textiles.name in html
        assert "Bestätigung fällig" in html
        assert f'action="/konto/uebersicht/profil/{people.textiles.slug}/bestaetigen/"' in html


class TestTheReminderCommand:
    def run(self, today: str) -> str:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("send_reminders", "--today", today, stdout=out)
        return out.getvalue()

    def test_managers_are_reminded_once_after_12_months_and_again_after_the_next_confirmation(
        self, people, mailoutbox
    ):
        confirmed_on(people.textiles, CONFIRMED)
        self.run("2026-03-09")
        assert not [m for m in mailoutbox if "bestätigen" in m.subject]
        self.run("2026-03-10")
        self.run("2026-03-11")
        (mail,) = [m for m in mailoutbox if "bestätigen" in m.subject]
        assert mail.to == [people.mia.email]
        assert "zuletzt am 10.03.2025 bestätigt" in mail.body
        assert people.textiles.get_absolute_url() in mail.body
        confirmed_on(people.textiles, datetime.date(2026, 3, 12))
        self.run("2027-03-12")
        assert len([m for m in mailoutbox if "bestätigen" in m.subject]) == 2
