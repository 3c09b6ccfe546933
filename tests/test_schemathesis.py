"""Schemathesis against the committed OpenAPI schema (docs/openapi.json): no server errors.

Schemathesis (https://schemathesis.readthedocs.io) generates requests from the schema —
valid ones and, in its negative mode, ones that break it (wrong types and patterns, NUL
characters, unknown fields) — and sends them to the Django WSGI application in this process,
on whichever database the suite runs (SQLite by default, PostgreSQL with DATABASE_URL). The
one check is that nothing answers 5xx.

Each generated case is sent twice: as generated (random path parameters mostly find
nothing: 404), and with the path parameters of a real record and a curator's API token, so
the generated query parameters and bodies reach the code behind the 404 and the 401.
`max_examples` bounds the run to about a minute per database; `SCHEMATHESIS_EXAMPLES=200`
makes a longer hunt.
"""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error

from clusterportal.accounts.models import ApiToken
from clusterportal.atlas.models import AtlasRegion, Cluster, Edition
from clusterportal.changes.models import ChangeRequest
from clusterportal.content.models import Article
from clusterportal.events.models import Event
from clusterportal.management.commands.export_openapi import SCHEMA_FILE
from clusterportal.partnersearch.models import Posting
from clusterportal.registry.models import Organisation
from clusterportal.tests.personas import TEXTILES, personas
from clusterportal.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
CURATOR = "clara.curator@wm.example"

schema = schemathesis.openapi.from_path(SCHEMA_FILE)
schema.app = application
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,  # the same requests on every run: a failure can be repeated
    database="none",
)


@pytest.fixture(autouse=True, scope="module")
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction (PostgreSQL): keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _curator_token() -> str:
    """A curator's token; the personas are made once per test (each test is a transaction)."""
    curator = get_user_model().objects.filter(email=CURATOR).first() or personas().clara
    return ApiToken.issue(curator)[1]


def _real_path_parameters(path: str) -> dict[str, object]:
    """Path parameters that name existing records, for the operation at `path`."""
    if path.startswith("/api/v1/atlas/"):
        edition = Edition.objects.get(slug="bw-kreise-2015-2020")
        region = AtlasRegion.objects.filter(edition=edition).order_by("code").first()
        cluster = Cluster.objects.filter(edition=edition).order_by("code").first()
        return {
            "slug": edition.slug,
            "code": cluster.code if "/clusters/" in path else region.code,
            "region_type": region.type,
        }
    if path.startswith("/api/v1/change-requests/"):
        request = ChangeRequest.objects.order_by("pk").first()
        return {"id": request.pk if request else 1}
    models = {
        "/api/v1/articles/": Article,
        "/api/v1/events/": Event,
        "/api/v1/organisations/": Organisation,
    }
    for prefix, model in models.items():
        if path.startswith(prefix):
            first = model.objects.order_by("pk").first()
            return {"slug": first.slug if first else "none-shipped"}
    if path.startswith("/api/v1/regions/"):
        return {"slug": "region-stuttgart"}
    if path.startswith("/api/v1/countries/"):
        return {"iso2": "CN"}
    if path.startswith("/api/v1/calls/"):  # a shipped call, and an initiative to check on it
        return {"slug": "gold-label-2023-2027", "initiative": TEXTILES}
    if path.startswith("/api/v1/programmes/"):
        return {"slug": "gold-label-foerderung"}
    if path.startswith("/api/v1/partner-search/"):  # none shipped: the first made, else a 404
        posting = Posting.objects.order_by("pk").first()
        return {"posting_id": posting.pk if posting else 1}
    if path.startswith("/api/v1/matchmaking/"):
        event = Event.objects.order_by("pk").first()
        return {"event_slug": event.slug if event else "none-shipped"}
    return {"slug": TEXTILES}


@pytest.mark.django_db
@schema.parametrize()
def test_no_request_the_schema_allows_or_breaks_gives_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
    if case.path_parameters:
        names = case.path_parameters.keys()
        real = _real_path_parameters(case.operation.path)
        case.path_parameters = {name: real[name] for name in names}
    case.call_and_validate(
        checks=[not_a_server_error], headers={"Authorization": f"Bearer {_curator_token()}"}
    )
