"""Uploaded files of applications: what a file is, judged by its content (docs/calls.md).

Accepted are PDF, XLSX, DOCX, PNG and JPEG, up to settings.APPLICATION_FILE_MAX_BYTES. The
name and the browser's content type are not believed: a PDF must begin with `%PDF-`, a PNG
with its eight-byte signature, a JPEG with FF D8 FF, and an XLSX or DOCX must be a ZIP
archive that holds `[Content_Types].xml` and the workbook or document part.

Written here rather than taken from python-magic (which needs the system's libmagic) or
filetype (which guesses Office files from the first bytes only): the five kinds need a
signature each, and for the Office files opening the archive is the only reliable test.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
OFFICE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpeg": {"jpg", "jpeg"}, "xlsx": {"xlsx"},
              "docx": {"docx"}}  # fmt: skip


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int
    sha256: str
    name: str


def kind_of(upload) -> str | None:
    """The kind the content shows, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _office_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in OFFICE_PARTS.items() if part in names), None)


def check_upload(upload) -> CheckedFile:
    """The file's kind, size and digest, or a ValidationError that names the file and why."""
    name = (upload.name or "").rsplit("/", 1)[-1][:200] or "datei"
    limit = settings.APPLICATION_FILE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("„%(name)s“ ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("„%(name)s“ ist leer.") % {"name": name})
    kind = kind_of(upload)
    if kind is None:
        raise ValidationError(
            _("„%(name)s“ ist keine PDF-, XLSX-, DOCX-, PNG- oder JPEG-Datei (geprüft wird "
              "der Inhalt, nicht der Name).") % {"name": name}
        )  # fmt: skip
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _("„%(name)s“ ist dem Inhalt nach eine %(kind)s-Datei, trägt aber eine andere "
              "Endung. Bitte laden Sie sie mit der passenden Endung hoch.")
            % {"name": name, "kind": kind.upper()}
        )  # fmt: skip
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind=kind, size=upload.size, sha256=digest.hexdigest(), name=name)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
