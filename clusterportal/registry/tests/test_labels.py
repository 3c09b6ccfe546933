"""Labels with a lifecycle: the rules of the record, the curators' dashboard and the
reminders to cluster managers 6 and 3 months before a label ends (docs/labels.md)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clusterportal.accounts.models import Role, grant
from clusterportal.outbox.models import OutboxMessage, SentReminder
from clusterportal.registry.models import ClusterInitiative, Label
from clusterportal.registry.tests import factories
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db

BW = Label.Kind.CLUSTER_EXCELLENCE_BW
DASHBOARD = reverse("registry:label_dashboard")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def bw_label(initiative, awarded_on: str, **values) -> Label:
    return factories.label(initiative, BW, awarded_on=day(awarded_on), **values)


def esca_label(initiative, valid_until: str | None, kind=Label.Kind.ECEI_GOLD, **values) -> Label:
    valid = day(valid_until) if valid_until else None
    return factories.label(initiative, kind, valid_until=valid, **values)


# --- the record ------------------------------------------------------------------------


def test_a_cluster_excellence_label_is_valid_for_two_years_from_its_award(people):
    label = bw_label(people.textiles, "2025-09-15")
    assert label.valid_until == day("2027-09-15")


def test_an_esca_label_keeps_the_end_entered_because_our_sources_state_no_term(people):
    entered = esca_label(people.cars, "2027-07-01", awarded_on=day("2024-07-01"))
    unknown = esca_label(
        people.cars, None, kind=Label.Kind.ECEI_SILVER, awarded_on=day("2024-07-01")
    )

    assert entered.valid_until == day("2027-07-01")
    assert unknown.valid_until is None
    assert unknown.is_valid_on(day("2030-01-01")) is None
    assert Label.TERM_YEARS == {BW: 2}


def test_a_bw_label_takes_an_assessor_a_score_of_150_a_decision_and_a_certificate(people):
    label = Label(
        initiative=people.textiles,
        kind=BW,
        assessor="VDI/VDE-IT",
        score=150,
        decided_on=day("2025-09-01"),
        awarded_on=day("2025-09-15"),
        certificate_url="https://wm.baden-wuerttemberg.de/urkunde.pdf",
    )
    label.full_clean()
    label.save()

    assert Label.objects.get(pk=label.pk).score == 150


def test_a_bw_score_above_150_is_refused_with_the_field_named(people):
    label = Label(initiative=people.textiles, kind=BW, score=151, awarded_on=day("2025-09-15"))

    with pytest.raises(ValidationError) as error:
        label.full_clean()

    assert list(error.value.message_dict) == ["score"]
    assert "150" in error.value.message_dict["score"][0]


def test_a_score_on_an_esca_label_is_refused_because_its_level_is_its_kind(people):
    label = Label(initiative=people.cars, kind=Label.Kind.ECEI_SILVER, score=80)

    with pytest.raises(ValidationError) as error:
        label.full_clean()

    assert list(error.value.message_dict) == ["score"]


@pytest.mark.parametrize(
    ("kind", "score"), [(BW, 151), (Label.Kind.ECEI_GOLD, 10), (Label.Kind.GO_CLUSTER, 0)]
)
def test_the_database_refuses_a_score_off_the_scale_whatever_path_writes_it(people, kind, score):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.bulk_create([Label(initiative=people.cars, kind=kind, score=score)])


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/urkunde.pdf"]
)
def test_a_certificate_link_other_than_http_or_https_is_refused(people, address):
    label = Label(initiative=people.cars, kind=Label.Kind.ECEI_GOLD, certificate_url=address)

    with pytest.raises(ValidationError) as error:
        label.full_clean()

    assert list(error.value.message_dict) == ["certificate_url"]


def test_the_database_refuses_a_javascript_certificate_link(people):
    label = esca_label(people.cars, "2027-07-01")

    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.filter(pk=label.pk).update(certificate_url="javascript:alert(1)")


def test_a_decision_after_the_award_is_refused(people):
    label = Label(
        initiative=people.textiles,
        kind=BW,
        decided_on=day("2025-10-01"),
        awarded_on=day("2025-09-15"),
    )

    with pytest.raises(ValidationError) as error:
        label.full_clean()

    assert list(error.value.message_dict) == ["decided_on"]
    with pytest.raises(IntegrityError), transaction.atomic():
        label.save()


def test_a_later_label_of_the_same_scheme_renews_the_earlier_one(people):
    old_bw = bw_label(people.textiles, "2023-09-15")
    new_bw = bw_label(people.textiles, "2025-09-10")
    bronze = esca_label(people.cars, "2027-05-01", kind=Label.Kind.ECEI_BRONZE)
    gold = esca_label(people.cars, "2029-02-01", awarded_on=day("2027-02-01"))
    go_cluster = factories.label(people.cars, Label.Kind.GO_CLUSTER, valid_until=day("2027-06-01"))

    current = set(
        Label.objects.filter(initiative__in=[people.textiles, people.cars])
        .current()
        .values_list("pk", flat=True)
    )

    assert {new_bw.pk, gold.pk, go_cluster.pk} <= current
    assert old_bw.pk not in current
    assert bronze.pk not in current


# --- the dashboard ---------------------------------------------------------------------

TODAY = day("2027-03-20")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


@pytest.fixture
def labels(people):
    """Labels around 20 March 2027, in and out of the dashboard's window."""
    orphan = factories.initiative("Initiative ohne Clustermanagement")
    return {
        "textiles": bw_label(people.textiles, "2025-09-15"),  # ends 15.09.2027
        "expired": esca_label(people.cars, "2027-01-10"),  # ended 69 days ago
        "orphan": esca_label(orphan, "2027-04-01", kind=Label.Kind.ECEI_SILVER),
        "long_expired": esca_label(orphan, "2026-12-19"),  # more than 3 months ago
        "far": factories.label(
            people.network, Label.Kind.GO_CLUSTER, valid_until=day("2028-03-21")
        ),
        "archived": esca_label(
            factories.initiative(status=ClusterInitiative.Status.ARCHIVED), "2027-05-01"
        ),
    }


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["rainer", "mia", "max", "ute"])
def test_everyone_but_curators_is_refused(client, people, name):
    client.force_login(getattr(people, name))

    assert client.get(DASHBOARD).status_code == 403


def test_curators_see_labels_ending_in_12_months_or_ended_in_the_last_3_soonest_first(
    client, people, today, labels
):
    client.force_login(people.clara)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.label.pk for row in rows] == [
        labels["expired"].pk,
        labels["orphan"].pk,
        labels["textiles"].pk,
    ]
    assert [row.days_left for row in rows] == [-69, 12, 179]
    assert [row.managers for row in rows] == [1, 0, 1]
    page = response.content.decode()
    assert "seit 69 Tagen abgelaufen" in page
    assert "noch 179 Tage" in page
    assert "keins eingetragen" in page
    assert people.textiles.name in page


def test_the_dashboard_shows_which_reminders_went_out(client, people, today, labels):
    SentReminder.objects.create(
        kind="label_expiry_6m",
        object_key=f"registry.label:{labels['textiles'].pk}",
        due_on=day("2027-03-15"),
        recipients=1,
        sent_at=timezone.make_aware(datetime.datetime(2027, 3, 15, 6, 0)),
    )
    client.force_login(people.clara)

    [_expired, _orphan, textiles] = client.get(DASHBOARD).context["rows"]

    assert textiles.reminder_rows() == [
        (6, day("2027-03-15"), textiles.reminders[6]),
        (3, day("2027-06-15"), None),
    ]
    assert textiles.reminders[6].date() == day("2027-03-15")


def test_the_dashboard_reads_in_the_same_number_of_queries_for_few_and_many_labels(
    client, people, today, labels, django_assert_num_queries
):
    log_in_with_totp(client, people.clara)  # a staff login: with TOTP
    # session, user, roles, labels with their initiatives and managers, sent reminders
    with django_assert_num_queries(5):
        assert len(client.get(DASHBOARD).context["rows"]) == 3
    for number in range(20):
        initiative = factories.initiative()
        esca_label(initiative, f"2027-{number % 12 + 1:02d}-10")
        grant(people.ute, Role.Kind.CLUSTER_MANAGER, initiative=initiative)
    with django_assert_num_queries(5):
        assert len(client.get(DASHBOARD).context["rows"]) == 23


# --- the reminders ---------------------------------------------------------------------


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "clusterportal.outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_URL = "https://cluster.example.org"
    # The label reminders alone: the profile re-confirmation is tested in the changes app.
    settings.REMINDER_SOURCES = ["clusterportal.registry.labels.expiry_reminders"]


def send_reminders(today: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", today, stdout=out)
    return out.getvalue()


def sent_to() -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def test_managers_are_reminded_6_and_3_months_before_the_end_each_once_and_not_before(
    people, outbox
):
    bw_label(people.textiles, "2025-09-15")  # valid until 15.09.2027

    assert "sent 0" in send_reminders("2027-03-14")
    assert mail.outbox == []

    send_reminders("2027-03-15")
    assert sent_to() == [
        (
            "mia.manager@textil.example",
            "Ihr Label „Cluster-Exzellenz Baden-Württemberg“ ist noch bis 15.09.2027 gültig",
        )
    ]
    assert "sent 0 (0 e-mails), 1 sent before" in send_reminders("2027-03-15")
    send_reminders("2027-04-20")
    send_reminders("2027-06-14")
    assert len(mail.outbox) == 1

    output = send_reminders("2027-06-15")
    assert "label_expiry_3m: sent 1" in output
    send_reminders("2027-06-15")
    send_reminders("2027-09-15")
    send_reminders("2027-09-16")
    assert len(mail.outbox) == 2
    assert set(SentReminder.objects.values_list("kind", "due_on")) == {
        ("label_expiry_6m", day("2027-03-15")),
        ("label_expiry_3m", day("2027-06-15")),
    }


def test_the_reminder_names_the_label_the_end_and_the_profile(people, outbox):
    bw_label(people.textiles, "2025-09-15")

    send_reminders("2027-03-15")

    [message] = mail.outbox
    assert "Cluster-Exzellenz Baden-Württemberg" in message.body
    assert "15.09.2027" in message.body
    assert "zwei Jahre" in message.body
    assert f"https://cluster.example.org/cluster/{people.textiles.slug}/" in message.body
    assert "&" not in message.body.replace(people.textiles.name, "")
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_curators_and_regional_contacts_get_no_label_reminders(people, outbox):
    bw_label(people.textiles, "2025-09-15")

    send_reminders("2027-03-15")

    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {people.mia.email}
    assert people.clara.email not in recipients
    assert people.rainer.email not in recipients


def test_every_active_manager_of_the_initiative_gets_a_reminder_of_their_own(people, outbox):
    grant(people.ute, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    gone = people.max
    grant(gone, Role.Kind.CLUSTER_MANAGER, initiative=people.textiles)
    gone.is_active = False
    gone.save()
    bw_label(people.textiles, "2025-09-15")

    send_reminders("2027-03-15")

    assert sorted(message.to for message in mail.outbox) == [[people.mia.email], [people.ute.email]]
    assert SentReminder.objects.get().recipients == 2


def test_an_initiative_without_a_manager_gets_none_and_the_command_says_how_many_it_skipped(
    people, outbox
):
    orphan = factories.initiative("Initiative ohne Clustermanagement")
    esca_label(orphan, "2027-09-15")
    esca_label(factories.initiative(), "2027-09-20", kind=Label.Kind.ECEI_SILVER)

    output = send_reminders("2027-03-20")

    assert mail.outbox == []
    assert "skipped 2" in output
    assert "label_expiry_6m: skipped 2 (no cluster manager)" in output
    assert not SentReminder.objects.exists()


def test_a_run_that_missed_the_6_month_day_sends_only_the_3_month_reminder(people, outbox):
    bw_label(people.textiles, "2025-09-15")

    send_reminders("2027-07-01")
    send_reminders("2027-08-01")

    assert len(mail.outbox) == 1
    assert SentReminder.objects.get().kind == "label_expiry_3m"


def test_a_renewed_label_sends_no_reminder(people, outbox):
    bw_label(people.textiles, "2025-09-15")
    bw_label(people.textiles, "2027-05-01")  # re-certified before the end

    send_reminders("2027-06-15")

    assert mail.outbox == []


def test_labels_of_archived_initiatives_send_no_reminder(people, outbox):
    bw_label(people.textiles, "2025-09-15")
    ClusterInitiative.objects.filter(pk=people.textiles.pk).update(
        status=ClusterInitiative.Status.ARCHIVED
    )

    send_reminders("2027-03-15")

    assert mail.outbox == []


def test_a_later_end_date_entered_for_the_label_brings_reminders_for_the_new_date(people, outbox):
    label = esca_label(people.cars, "2027-09-15")
    send_reminders("2027-03-15")

    label.valid_until = day("2028-09-15")
    label.save()
    send_reminders("2027-03-16")
    send_reminders("2028-03-15")

    assert len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {people.max.email}


# --- the back office -------------------------------------------------------------------


def test_the_back_office_refuses_a_bw_score_above_150_and_names_the_field(admin_client, people):
    response = admin_client.post(
        reverse("admin:registry_label_add"),
        {
            "initiative": people.textiles.pk,
            "kind": BW,
            "assessor": "VDI/VDE-IT",
            "score": "151",
            "awarded_on": "15.09.2025",
            "certificate_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"score", "certificate_url"}
    assert not Label.objects.filter(initiative=people.textiles, score__isnull=False).exists()


def test_the_back_office_saves_the_assessment_and_computes_the_end(admin_client, people):
    response = admin_client.post(
        reverse("admin:registry_label_add"),
        {
            "initiative": people.textiles.pk,
            "kind": BW,
            "assessor": "VDI/VDE-IT",
            "score": "143",
            "decided_on": "01.09.2025",
            "awarded_on": "15.09.2025",
            "certificate_url": "https://example.org/urkunde.pdf",
        },
    )

    assert response.status_code == 302
    label = Label.objects.get(initiative=people.textiles, score=143)
    assert (label.assessor, label.valid_until) == ("VDI/VDE-IT", day("2027-09-15"))
    listing = admin_client.get(reverse("admin:registry_label_changelist"), {"q": "VDI"})
    assert 'href="https://example.org/urkunde.pdf"' in listing.content.decode()
