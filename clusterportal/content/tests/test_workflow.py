"""Who may write, submit, publish and send back news (content/rules.py), with the personas."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from clusterportal.content.models import Article
from clusterportal.content.tests.helpers import article, cars, textiles
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db(transaction=False)


def form_data(initiative, slug="neu", **extra):
    return {
        "initiative": initiative.pk,
        "title": "Neue Maschine",
        "slug": slug,
        "body": "Ein **Text**.",
        "published_on": "2024-05-06",
        **extra,
    }


def test_a_manager_writes_news_for_her_initiative_and_submits_it_for_review(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.mia)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("content:article_new"), form_data(textiles(), submit="1"))
    assert response.status_code == 302
    saved = Article.objects.get(slug="neu")
    assert (saved.status, saved.author, saved.initiative) == ("in_review", people.mia, textiles())
    assert [m.to for m in mail.outbox] == [[people.clara.email]]
    assert "Neue Maschine" in mail.outbox[0].subject


def test_a_manager_cannot_write_for_another_initiative(client, people):
    client.force_login(people.mia)
    response = client.post(reverse("content:article_new"), form_data(cars()))
    assert response.status_code == 400
    assert "initiative" in response.context["form"].errors
    assert not Article.objects.filter(slug="neu").exists()


def test_a_manager_cannot_publish_even_when_asking_for_it(client, people):
    client.force_login(people.mia)
    client.post(reverse("content:article_new"), form_data(textiles(), publish="1"))
    assert Article.objects.get(slug="neu").status == "draft"
    response = client.post(reverse("content:article_publish", args=["neu"]))
    assert response.status_code == 403
    assert Article.objects.get(slug="neu").status == "draft"


def test_a_manager_cannot_edit_another_initiatives_news(client, people):
    draft = article("fremd", status="draft", initiative=cars(), author=people.max)
    client.force_login(people.mia)
    response = client.post(
        reverse("content:article_edit", args=["fremd"]), form_data(textiles(), slug="fremd")
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.initiative == cars() and draft.title == "Titel fremd"
    # and the owner may
    assert people.max.has_perm("content.edit_article", draft)
    assert not people.mia.has_perm("content.edit_article", draft)


def test_a_manager_cannot_edit_her_news_once_submitted(people):
    submitted = article("eingereicht", status="in_review", initiative=textiles(), author=people.mia)
    assert not people.mia.has_perm("content.edit_article", submitted)
    assert people.clara.has_perm("content.edit_article", submitted)


def test_company_users_and_contacts_may_not_write_news(client, people):
    for person in (people.ute, people.rainer):
        assert not person.has_perm("content.write_news")
    client.force_login(people.ute)
    assert client.get(reverse("content:article_new")).status_code == 403


def test_the_curator_publishes_a_submitted_article(client, people):
    article("zur-pruefung", status="in_review", initiative=textiles(), author=people.mia)
    log_in_with_totp(client, people.clara)
    response = client.post(reverse("content:article_publish", args=["zur-pruefung"]))
    assert response.status_code == 302
    assert Article.objects.get(slug="zur-pruefung").status == "published"


def test_the_curator_sends_back_with_a_message_the_author_receives(
    client, people, django_capture_on_commit_callbacks
):
    article("zurueck", status="in_review", initiative=textiles(), author=people.mia)
    log_in_with_totp(client, people.clara)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("content:article_send_back", args=["zurueck"]), {"note": "Bitte Quelle nennen."}
        )
    assert response.status_code == 302
    saved = Article.objects.get(slug="zurueck")
    assert (saved.status, saved.review_note) == ("draft", "Bitte Quelle nennen.")
    assert mail.outbox[-1].to == [people.mia.email]
    assert "Bitte Quelle nennen." in mail.outbox[-1].body


def test_sending_back_without_a_message_is_refused_and_changes_nothing(client, people):
    article("ohne", status="in_review", author=people.mia)
    log_in_with_totp(client, people.clara)
    response = client.post(reverse("content:article_send_back", args=["ohne"]), {"note": ""})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert Article.objects.get(slug="ohne").status == "in_review"


def test_a_manager_cannot_review(client, people):
    article("nicht-ihre", status="in_review", author=people.max)
    client.force_login(people.mia)
    assert (
        client.post(
            reverse("content:article_send_back", args=["nicht-ihre"]), {"note": "x"}
        ).status_code
        == 403
    )
    assert not people.mia.has_perm("content.review_article")
    assert people.clara.has_perm("content.review_article")
