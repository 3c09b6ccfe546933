"""The API writes every time in one format, UTC with milliseconds (issue 11, finding 6):
a time with a zero fraction of a second looked different ("…05Z") from the same time read
back with a few microseconds ("…05.000Z")."""

import datetime

import pytest

from clusterportal.registry.models import ClusterInitiative

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def updated_at_in_the_api(client, moment: datetime.datetime) -> str:
    ClusterInitiative.objects.filter(slug="biolago").update(updated_at=moment)
    detail = client.get("/api/v1/initiatives/biolago").json()["updated_at"]
    listed = client.get("/api/v1/initiatives", {"q": "BioLAGO"}).json()["results"][0]
    assert listed["updated_at"] == detail
    return detail


@pytest.mark.parametrize(
    "moment, written",
    [
        (datetime.datetime(2026, 12, 6, 22, 27, 5, tzinfo=UTC), "2026-12-06T22:27:05.000Z"),
        (datetime.datetime(2026, 12, 6, 22, 27, 5, 400, tzinfo=UTC), "2026-12-06T22:27:05.000Z"),
        (datetime.datetime(2026, 12, 6, 22, 27, 5, 123456, tzinfo=UTC), "2026-12-06T22:27:05.123Z"),
        # Another zone is written as the same instant in UTC.
        (
            datetime.datetime(
                2026, 7, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
            ),
            "2026-07-01T10:00:00.000Z",
        ),
    ],
)
def test_every_time_is_written_in_utc_with_milliseconds(client, moment, written):
    assert updated_at_in_the_api(client, moment) == written
