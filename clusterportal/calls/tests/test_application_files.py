"""Files of an application: checked by content, limited in size, private to those allowed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clusterportal.calls import jury
from clusterportal.calls.models import Application, ApplicationFile
from clusterportal.calls.tests.conftest import client_of, pdf_bytes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def office(kind: str, parts: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


DOCX = office("docx", ["[Content_Types].xml", "word/document.xml"])
XLSX = office("xlsx", ["[Content_Types].xml", "xl/workbook.xml"])


@pytest.fixture
def draft(people, open_call) -> Application:
    return Application.objects.create(call=open_call, initiative=people.textiles,
                                      created_by=people.mia)  # fmt: skip


def upload(client, application, name: str, content: bytes, field: str = "anlagen"):
    return client.post(
        reverse("calls:upload_file", args=[application.pk]),
        {"field": field, "file": SimpleUploadedFile(name, content, "application/pdf")},
        follow=True,
    )


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("antrag.pdf", pdf_bytes(), "pdf"), ("logo.png", PNG, "png"), ("foto.jpg", JPEG, "jpeg"),
    ("plan.docx", DOCX, "docx"), ("finanzen.xlsx", XLSX, "xlsx"),
])  # fmt: skip
def test_the_five_kinds_are_taken_and_stored_outside_the_web_root(
    people, draft, settings, name, content, kind
):
    upload(client_of(people.mia), draft, name, content)
    stored = ApplicationFile.objects.get(application=draft)
    assert (stored.name, stored.kind, stored.size) == (name, kind, len(content))
    path = Path(stored.stored.path)
    assert path.is_relative_to(settings.PRIVATE_FILES_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not path.is_relative_to(settings.STATIC_ROOT)
    assert path.read_bytes() == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bild.pdf", PNG, "„bild.pdf“ ist dem Inhalt nach eine PNG-Datei"),
    ("skript.pdf", b"<script>alert(1)</script>", "„skript.pdf“ ist keine PDF-, XLSX-"),
    ("archiv.docx", office("docx", ["word/document.xml"]), "„archiv.docx“ ist keine PDF-"),
    ("makro.docx", office("docx", ["[Content_Types].xml", "xl/workbook.xml"]), "XLSX-Datei"),
    ("leer.pdf", b"", "„leer.pdf“ ist leer."),
])  # fmt: skip
def test_a_file_that_lies_about_its_type_is_refused_by_name(people, draft, name, content,
                                                            message):  # fmt: skip
    response = upload(client_of(people.mia), draft, name, content)
    assert message in response.content.decode()
    assert not ApplicationFile.objects.exists()


def test_an_oversized_file_is_refused_with_both_sizes(people, draft, settings):
    settings.APPLICATION_FILE_MAX_BYTES = 1024
    response = upload(client_of(people.mia), draft, "gross.pdf", pdf_bytes() + b"0" * 2000)
    assert "„gross.pdf“ ist 2,0\xa0KB groß; erlaubt sind höchstens 1,0\xa0KB." in (
        response.content.decode()
    )
    assert not ApplicationFile.objects.exists()


def test_files_go_only_to_a_question_that_takes_files(people, draft):
    response = upload(client_of(people.mia), draft, "a.pdf", pdf_bytes(), field="vorhaben")
    assert "Zu dieser Frage gehören keine Dateien." in response.content.decode()
    assert not ApplicationFile.objects.exists()


def test_a_submitted_application_takes_no_more_files(people, draft):
    upload(client_of(people.mia), draft, "a.pdf", pdf_bytes())
    Application.objects.filter(pk=draft.pk).update(status="submitted")
    response = upload(client_of(people.mia), draft, "b.pdf", pdf_bytes())
    assert "Dateien ändern sich nicht mehr" in response.content.decode()
    assert ApplicationFile.objects.count() == 1


class TestWhoGetsAFile:
    @pytest.fixture
    def stored(self, people, draft) -> ApplicationFile:
        upload(client_of(people.mia), draft, "antrag.pdf", pdf_bytes())
        return ApplicationFile.objects.get()

    def test_the_applicants_download_it_as_an_attachment(self, people, jury, stored):
        for user in (people.mia, jury.mila):
            response = client_of(user).get(stored.get_absolute_url())
            assert response.status_code == 200
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'attachment; filename="antrag.pdf"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content) == pdf_bytes()

    @pytest.mark.parametrize("persona", ["max", "ute", "rainer"])
    def test_others_do_not(self, people, stored, persona):
        response = client_of(getattr(people, persona)).get(stored.get_absolute_url())
        assert response.status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login(self, stored):
        response = Client().get(stored.get_absolute_url())
        assert response.status_code == 302 and "/login/" in response.url

    def test_a_juror_only_once_assigned_and_without_a_conflict(self, people, jury, stored):
        application = stored.application
        Application.objects.filter(pk=application.pk).update(status="submitted")
        assert client_of(jury.jana).get(stored.get_absolute_url()).status_code == 403
        jury_report = jury_assign(application, jury.jana, people.clara)
        assert len(jury_report.assigned) == 1
        assert client_of(jury.jana).get(stored.get_absolute_url()).status_code == 200
        assignment = jury_report.assigned[0]
        from clusterportal.calls.jury import declare_conflict

        declare_conflict(assignment, "Ich berate die Initiative.")
        assert client_of(jury.jana).get(stored.get_absolute_url()).status_code == 403


def jury_assign(application, juror, by):
    return jury.assign([Application.objects.get(pk=application.pk)], juror, by)
