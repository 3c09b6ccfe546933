"""A posting's life: written, checked, public, edited and checked again, renewed, closed;
who hears of each step; versions that keep two editors from losing each other's work."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterportal.partnersearch import editing
from clusterportal.partnersearch.forms import PostingForm
from clusterportal.partnersearch.models import Follow, Posting, StaleVersion, WrongState
from clusterportal.partnersearch.tests.conftest import recipients
from clusterportal.partnersearch.tests.helpers import posting_data, published, write

pytestmark = pytest.mark.django_db


def test_a_new_posting_waits_for_the_check_and_is_not_public(people):
    posting = write(people.ute)
    assert posting.status == Posting.Status.PENDING
    assert not posting.is_public()
    assert list(Posting.objects.public()) == []
    assert posting.author == people.ute
    # The search text has the title, the description, the organisation and the field names.
    assert "funktionstextilien" in posting.search_text
    assert "beispiel weberei" in posting.search_text
    assert "textiles" in posting.search_text  # the field's English name too


def test_a_posting_for_an_initiative_takes_its_name_and_region(people):
    posting = write(people.mia, initiative=people.textiles.slug, organisation_name="")
    assert posting.organisation_name == people.textiles.name
    assert posting.region_id == people.textiles.region_id
    assert posting.poster_name == people.textiles.name


def test_the_check_is_mailed_to_the_curators_and_the_regional_contact(people, mails):
    mails(write, people.mia, initiative=people.textiles.slug)
    assert recipients(mails.outbox) == ["clara.curator@wm.example",
                                        "rainer.regional@neckar-alb.example"]  # fmt: skip
    assert mails.outbox[0].subject.startswith("Neue Partnersuche zu prüfen")
    assert "-- English --" in mails.outbox[0].body


def test_publishing_makes_it_public_and_tells_the_author(people, mails):
    posting = write(people.ute)
    mails(editing.publish, posting, people.clara)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED
    assert posting.is_public()
    assert posting.reviewed_by == people.clara
    assert recipients(mails.outbox) == ["ute@unternehmen.example"]
    assert [h.history_user for h in posting.history.order_by("history_date")] == [
        people.ute, people.clara]  # fmt: skip


def test_a_second_check_of_the_same_posting_is_refused(people):
    posting = write(people.ute)
    editing.publish(posting, people.clara)
    stale_copy = Posting.objects.get(pk=posting.pk)
    stale_copy.status = Posting.Status.PENDING  # what a second reviewer's page still shows
    with pytest.raises(WrongState):
        editing.reject(stale_copy, people.rainer, "Werbung")
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.PUBLISHED


def test_a_rejection_needs_its_reason_and_the_author_gets_it(people, mails):
    posting = write(people.ute)
    with pytest.raises(ValidationError) as error:
        editing.reject(posting, people.clara, "  ")
    assert "review_note" in error.value.message_dict
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.PENDING
    mails(editing.reject, posting, people.clara, "Das ist eine Produktwerbung, keine Partnersuche.")
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.REJECTED
    assert recipients(mails.outbox) == ["ute@unternehmen.example"]
    assert "Produktwerbung" in mails.outbox[0].body


def _edit(posting, user, **changes):
    data = posting_data(version=posting.version, **changes)
    form = PostingForm(data, instance=Posting.objects.get(pk=posting.pk), user=user)
    assert form.is_valid(), form.errors
    return editing.update(posting, form, user)


def test_an_edit_of_a_public_posting_goes_back_to_the_check_and_followers_hear_when_it_is_back(
    people, mails
):
    posting = published(people.ute, people.clara)
    Follow.objects.create(posting=posting, user=people.max)
    mails(_edit, posting, people.ute, title="Partner für Sensorik in Funktionstextilien, neu")
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PENDING
    assert not posting.is_public()
    assert posting.version == 2
    # The staff are asked to check the new text; the follower hears nothing yet.
    assert recipients(mails.outbox) == ["clara.curator@wm.example"]
    mails.outbox.clear()
    mails(editing.publish, posting, people.clara)
    assert recipients(mails.outbox) == ["max.manager@cars.example"]
    assert mails.outbox[0].subject.startswith("Partnersuche geändert")


def test_an_edit_based_on_an_older_version_is_refused_and_changes_nothing(people):
    posting = write(people.ute)
    _edit(posting, people.ute, title="Erste Fassung des Titels")
    old = Posting.objects.get(pk=posting.pk)
    data = posting_data(version=1, title="Zweite Fassung aus einem alten Tab")
    form = PostingForm(data, instance=old, user=people.ute)
    assert form.is_valid()
    with pytest.raises(StaleVersion) as stale:
        editing.update(old, form, people.ute)
    assert stale.value.current.version == 2
    assert Posting.objects.get(pk=posting.pk).title == "Erste Fassung des Titels"


def test_renewing_moves_the_expiry_and_tells_the_followers(people, mails):
    posting = published(people.ute, people.clara)
    Follow.objects.create(posting=posting, user=people.max)
    until = timezone.localdate() + datetime.timedelta(days=200)
    mails(editing.renew, posting, people.ute, until, posting.version)
    assert Posting.objects.get(pk=posting.pk).expires_on == until
    assert recipients(mails.outbox) == ["max.manager@cars.example"]


def test_renewing_into_the_past_or_beyond_a_year_is_refused(people):
    posting = published(people.ute, people.clara)
    before = posting.expires_on
    for days in (-1, 366):
        with pytest.raises(ValidationError) as error:
            editing.renew(posting, people.ute, timezone.localdate() + datetime.timedelta(days=days),
                          posting.version)  # fmt: skip
        assert "expires_on" in error.value.message_dict
    assert Posting.objects.get(pk=posting.pk).expires_on == before


def test_closing_ends_the_search_once_and_tells_the_followers(people, mails):
    posting = published(people.ute, people.clara)
    Follow.objects.create(posting=posting, user=people.max)
    mails(editing.close, posting, people.ute)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.CLOSED
    assert posting.closed_at is not None
    assert not posting.is_public()
    assert recipients(mails.outbox) == ["max.manager@cars.example"]
    with pytest.raises(WrongState):
        editing.close(posting, people.ute)


def test_a_posting_leaves_the_public_list_the_day_after_its_expiry(people):
    posting = published(people.ute, people.clara, expires_on=timezone.localdate().isoformat())
    today = timezone.localdate()
    assert list(Posting.objects.public(today)) == [posting]
    assert list(Posting.objects.public(today + datetime.timedelta(days=1))) == []
    assert posting.is_expired(today + datetime.timedelta(days=1))
