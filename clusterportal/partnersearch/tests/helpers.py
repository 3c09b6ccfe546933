"""Postings for the tests, written through the same form and functions as the pages."""

from __future__ import annotations

import datetime

from django.utils import timezone

from clusterportal.partnersearch import editing
from clusterportal.partnersearch.forms import PostingForm
from clusterportal.partnersearch.models import Posting


def posting_data(**overrides) -> dict:
    data = {
        "kind": "request",
        "purpose": "rd_project",
        "title": "Partner für Sensorik in Funktionstextilien gesucht",
        "description": "Wir suchen Forschungspartner für textilintegrierte Sensoren "
        "(Druck und Temperatur) für ein Verbundprojekt ab 2027.",
        "organisation_name": "Beispiel Weberei GmbH",
        "technology_fields": ["textil"],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def write(author, **overrides) -> Posting:
    form = PostingForm(posting_data(**overrides), user=author)
    assert form.is_valid(), form.errors
    return editing.create(form, author)


def published(author, reviewer, **overrides) -> Posting:
    posting = write(author, **overrides)
    editing.publish(posting, reviewer)
    return posting
