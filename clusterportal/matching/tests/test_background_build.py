"""The matching index at a new data version, as production runs it (a database of its own,
settings.MATCHING_BUILD_IN_BACKGROUND on): a process without an index builds it in the
request; one with an index answers from it at once while a background thread builds the new
version, which then takes over; an older build finishing late never replaces a newer one."""

from __future__ import annotations

import json

import pytest

from clusterportal.events.tests.test_concurrent_registration import _env, _manage, own_database

__all__ = ["own_database"]

SCRIPT = """
import datetime, json
from django.utils import timezone
from django.contrib.auth import get_user_model
from clusterportal.matching import index
from clusterportal.partnersearch import editing
from clusterportal.partnersearch.forms import PostingForm
from clusterportal.taxonomy.models import TechnologyField

TechnologyField.objects.create(slug="textil", name="Textil")
users = get_user_model().objects
author = users.create_user(username="a", email="author@example.org")
reviewer = users.create_user(username="r", email="reviewer@example.org")

def public_posting(title):
    data = {"kind": "request", "purpose": "rd_project", "title": title,
            "description": "Wir suchen Forschungspartner fuer textile Sensoren.",
            "organisation_name": "Weberei", "technology_fields": ["textil"],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    form = PostingForm(data, user=author); assert form.is_valid(), form.errors
    editing.publish(editing.create(form, author), reviewer)

public_posting("Erste Partnersuche")
first = index.current_index()  # no index yet: built in this call
public_posting("Zweite Partnersuche")  # the data version moves
answered = index.current_index()  # the first index answers; a thread builds the second
index.wait_for_background_builds()
fresh = index.current_index()
index._build_in_background(first.key)  # an old version's build that finishes late
after_late = index.current_index()
print(json.dumps({"first": len(first), "answered_by_first": answered is first,
                  "fresh": len(fresh), "newer": fresh.key[1] > first.key[1],
                  "late_build_ignored": after_late is fresh}))
"""


@pytest.mark.django_db
def test_a_new_version_is_built_in_the_background_while_the_old_index_answers(own_database):
    env = _env(own_database)
    _manage(env, "migrate", "--noinput", "-v0")
    result = json.loads(_manage(env, "shell", "-c", SCRIPT).strip().splitlines()[-1])
    assert result == {
        "first": 1, "answered_by_first": True, "fresh": 2, "newer": True,
        "late_build_ignored": True,
    }  # fmt: skip
