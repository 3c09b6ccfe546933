"""The shipped catalogue (data/services/services.json) and its loader; courses and events."""

from __future__ import annotations

import datetime
import json
import shutil

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterportal.events.models import Event
from clusterportal.services.catalogue import load_services
from clusterportal.services.models import Service

pytestmark = pytest.mark.django_db


def test_the_shipped_catalogue_holds_each_kind_with_a_source():
    services = list(Service.objects.all())
    assert len(services) == 9
    assert {s.kind for s in services} == set(Service.Kind.values)
    for service in services:
        assert service.source_url.startswith("https://"), service.slug
        assert service.source_name and service.title_en and service.summary_en, service.slug


def test_loading_again_changes_nothing_and_keeps_curators_edits():
    Service.objects.filter(slug="technologietransfer").update(title="Transfer (bearbeitet)")
    report = load_services(settings.DATA_DIR)
    assert (report.created, report.updated, report.unchanged, report.kept) == (0, 0, 8, 1)
    assert Service.objects.get(slug="technologietransfer").title == "Transfer (bearbeitet)"
    report = load_services(settings.DATA_DIR, update=True)
    assert report.updated == 1
    assert (
        Service.objects.get(slug="technologietransfer").title == "Beratung zum Technologietransfer"
    )


def test_a_bad_row_loads_nothing_and_names_the_service_and_field(tmp_path):
    document = json.loads((settings.DATA_DIR / "services/services.json").read_text())
    document["services"].append({**document["services"][0], "slug": "neu", "kind": "zauberei"})
    document["services"].append({**document["services"][0], "slug": "neu2", "colour": "blau"})
    (tmp_path / "services").mkdir()
    (tmp_path / "services/services.json").write_text(json.dumps(document))
    Service.objects.all().delete()
    report = load_services(tmp_path)
    assert any(line.startswith("service neu: kind:") for line in report.rejected)
    assert "service neu2: unknown field 'colour'" in report.rejected
    assert not Service.objects.exists()


def test_the_shipped_file_is_what_the_loader_reads(tmp_path):
    shutil.copytree(settings.DATA_DIR / "services", tmp_path / "services")
    assert load_services(tmp_path).rejected == []


def event(kind, slug="kurs", days=10, status="published"):
    return Event.objects.create(
        slug=slug, title=f"Termin {slug}", kind=kind, status=status, organiser="ClusterAgentur",
        starts_at=timezone.now() + datetime.timedelta(days=days),
    )  # fmt: skip


def test_only_a_course_has_dates_and_they_are_qualifications_or_workshops():
    course = Service.objects.get(kind="course")
    coaching = Service.objects.get(slug="coaching-clustermanagement")
    qualification = event(Event.Kind.QUALIFICATION)
    brunch = event(Event.Kind.CLUSTER_BRUNCH, slug="brunch")
    course.check_courses([qualification, event(Event.Kind.WORKSHOP, slug="ws")])
    with pytest.raises(ValidationError, match="Termin brunch"):
        course.check_courses([brunch])
    with pytest.raises(ValidationError, match="Nur eine Qualifizierung"):
        coaching.check_courses([qualification])


def test_a_course_page_lists_its_coming_published_dates(client):
    course = Service.objects.get(kind="course")
    coming = event(Event.Kind.QUALIFICATION, slug="kommt")
    past = event(Event.Kind.QUALIFICATION, slug="vorbei", days=-10)
    draft = event(Event.Kind.QUALIFICATION, slug="entwurf", status="draft")
    course.courses.set([coming, past, draft])
    page = client.get(course.get_absolute_url()).content.decode()
    assert coming.get_absolute_url() in page
    assert past.get_absolute_url() not in page and draft.get_absolute_url() not in page


def test_the_admin_refuses_dates_for_a_service_that_is_no_course(admin_client):
    from django.urls import reverse

    coaching = Service.objects.get(slug="coaching-clustermanagement")
    workshop = event(Event.Kind.WORKSHOP)
    url = reverse("admin:services_service_change", args=[coaching.pk])
    data = {
        name: getattr(coaching, name)
        for name in ["slug", "kind", "title", "title_en", "summary", "summary_en", "description",
                     "description_en", "audience", "audience_en", "source_name", "source_url",
                     "position"]
    }  # fmt: skip
    response = admin_client.post(url, {**data, "active": "on", "courses": [workshop.pk]})
    assert response.status_code == 200
    assert "Nur eine Qualifizierung" in response.content.decode()
    assert not coaching.courses.exists()
