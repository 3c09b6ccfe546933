"""Exports cannot exhaust the server (issue 11, finding 5): a file is made once per data
version and sent again until the registry changes, and one client may fetch only so many
exports in a window (429 with Retry-After), while other clients still get theirs."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from clusterportal.registry import exporting
from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json", "geojson"]
SEARCH = {"field": "medical-engineering", "sort": "-founded"}


def export_url(fmt: str) -> str:
    return reverse("registry:export", args=[fmt])


@pytest.fixture
def builds(monkeypatch):
    """How often the rows of an export are read from the database."""
    calls = []
    result_rows = exporting.result_rows

    def counted(*args, **kwargs):
        calls.append(args)
        return result_rows(*args, **kwargs)

    monkeypatch.setattr(exporting, "result_rows", counted)
    return calls


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_second_identical_export_is_sent_again_without_being_made(
    client, builds, django_assert_num_queries, fmt
):
    first = client.get(export_url(fmt), SEARCH)
    assert first.status_code == 200 and len(builds) == 1
    # The data version only: no search, no rows, no file written.
    with django_assert_num_queries(1):
        again = client.get(export_url(fmt), SEARCH)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert len(builds) == 1


def test_a_signed_in_person_gets_the_same_kept_file(client, builds, people):
    anonymous = client.get(export_url("csv"), SEARCH).content
    client.force_login(people.clara)
    assert client.get(export_url("csv"), SEARCH).content == anonymous
    assert len(builds) == 1


def test_other_searches_formats_and_languages_are_made_apart(client, builds):
    client.get(export_url("csv"), SEARCH)
    client.get(export_url("xlsx"), SEARCH)
    client.get(export_url("csv"), {"field": "medical-engineering"})
    english = client.get("/en" + export_url("csv"), SEARCH)
    assert len(builds) == 4
    assert "Regional cluster initiative" in english.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_change_to_the_data_makes_a_new_export(client, builds, fmt):
    before = client.get(export_url(fmt), SEARCH).content
    initiative = ClusterInitiative.objects.get(slug="biolago")
    initiative.city = "Neustadt am Bodensee"
    initiative.save()
    after = client.get(export_url(fmt), SEARCH)
    assert len(builds) == 2
    assert after.content != before
    if fmt in ("csv", "json", "geojson"):
        assert "Neustadt am Bodensee" in after.content.decode()


def test_a_search_with_too_many_rows_is_refused_and_nothing_is_kept(client, builds, monkeypatch):
    monkeypatch.setattr(exporting, "MAX_ROWS", 5)
    assert client.get(export_url("csv")).status_code == 400
    monkeypatch.setattr(exporting, "MAX_ROWS", 10_000)
    assert client.get(export_url("csv")).status_code == 200
    assert len(builds) == 2


def test_without_the_response_cache_every_export_is_made(client, builds, settings):
    settings.RESPONSE_CACHE_ENTRIES = 0
    client.get(export_url("xlsx"))
    client.get(export_url("xlsx"))
    assert len(builds) == 2


@pytest.fixture
def three_exports_per_window(settings):
    cache.clear()  # the throttle counts in the default cache
    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "export": "3/10m/ip"}
    yield
    cache.clear()


@pytest.mark.usefixtures("three_exports_per_window")
def test_the_fourth_export_from_one_client_is_refused_with_a_reason(client):
    # Kept files count too: the limit is on requests, whatever they cost.
    for fmt in ("xlsx", "xlsx", "csv"):
        assert client.get(export_url(fmt)).status_code == 200
    refused = client.get(export_url("xlsx"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert refused["Content-Type"].startswith("text/html")
    assert "zu viele Exporte" in refused.content.decode()
    # Another client address is counted apart.
    other = client.get(export_url("xlsx"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert other["Content-Type"] == exporting.FORMATS["xlsx"].content_type


@pytest.mark.usefixtures("three_exports_per_window")
@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_refused_json_export_answers_in_the_api_error_shape(client, fmt):
    for _ in range(3):
        assert client.get(export_url(fmt)).status_code == 200
    refused = client.get(export_url(fmt))
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert refused.json() == {
        "error": {
            "status": 429,
            "code": "rate_limited",
            "message": "Too many exports from this client; try again in 600 seconds.",
            "fields": {},
        }
    }


def export_in_the_import_format(admin_client, slugs: list[str], fmt: str = "xlsx"):
    selected = ClusterInitiative.objects.filter(slug__in=slugs).values_list("pk", flat=True)
    return admin_client.post(
        reverse("admin:registry_clusterinitiative_changelist"),
        {"action": f"export_import_{fmt}", "_selected_action": list(selected)},
    )


@pytest.fixture
def import_format_builds(monkeypatch):
    calls = []
    import_format = exporting.import_format

    def counted(queryset, extension):
        calls.append(extension)
        return import_format(queryset, extension)

    monkeypatch.setattr(exporting, "import_format", counted)
    return calls


def test_the_import_format_is_made_once_per_selection_and_data_version(
    admin_client, import_format_builds
):
    first = export_in_the_import_format(admin_client, ["biolago", "biopro"])
    again = export_in_the_import_format(admin_client, ["biopro", "biolago"])
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and len(import_format_builds) == 1
    # Another selection, another file.
    export_in_the_import_format(admin_client, ["biolago"])
    assert len(import_format_builds) == 2
    # A change to the data (here a research note, which only the import format carries).
    ClusterInitiative.objects.filter(slug="biolago").update(research_notes="neu geprüft")
    changed = export_in_the_import_format(admin_client, ["biolago", "biopro"], "csv")
    assert "neu geprüft" in changed.content.decode("utf-8")
    assert len(import_format_builds) == 3


@pytest.mark.usefixtures("three_exports_per_window")
def test_the_import_format_export_has_the_same_limit_per_client(admin_client):
    for _ in range(3):
        assert export_in_the_import_format(admin_client, ["biolago"]).status_code == 200
    refused = export_in_the_import_format(admin_client, ["biolago"])
    assert refused.status_code == 302
    page = admin_client.get(refused["Location"]).content.decode()
    assert "zu viele Exporte" in page
