"""The admission checklist of a request: the criteria for the proposed state, nothing written."""

import pytest

from clusterportal.changes import checklist, profile_fields
from clusterportal.changes.forms import validate
from clusterportal.changes.models import ChangeRequest, edit_token
from clusterportal.lib import versioning
from clusterportal.registry.models import Organisation
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db


def propose(initiative, author, **values):
    return ChangeRequest.propose(
        initiative, author, validate(initiative, values), edit_token=edit_token(initiative)
    )


def met(items):
    return {item.criterion.code for item in items if item}


def test_it_evaluates_the_proposed_state_and_leaves_the_public_record_untouched(people):
    textiles = people.textiles
    change = propose(
        textiles,
        people.mia,
        activities_per_year=12,
        services="Netzwerktreffen, Projektanbahnung, Weiterbildung.",
        member_companies_count=30,
    )
    before = profile_fields.current_values(textiles)
    history = textiles.history.count()
    version = versioning.current("registry")

    result = checklist.for_request(change)

    assert result.problem == ""
    proposed = {i.criterion.code for i in result.items if i.proposed}
    now = {i.criterion.code for i in result.items if i.now}
    # The record reports 40 members; the request adds how many are companies.
    assert {"activities", "services", "partners", "companies"} <= proposed
    assert not {"activities", "services", "companies"} & now
    assert [i.criterion.code for i in result.items if i.changes] == [
        "activities", "services", "companies",
    ]  # fmt: skip
    textiles.refresh_from_db()
    assert profile_fields.current_values(textiles) == before
    assert textiles.history.count() == history
    assert versioning.current("registry") == version


def test_a_proposed_member_list_counts_for_the_company_share_and_is_rolled_back(people):
    organisations = [factories.organisation() for _ in range(12)]
    rows = [{"organisation": o.slug} for o in organisations]
    rows.append({"name": "Neue Weberei GmbH", "kind": "company"})
    change = propose(people.textiles, people.mia, members=rows)

    result = checklist.for_request(change)

    companies = next(i for i in result.items if i.criterion.code == "companies")
    assert companies.proposed and not companies.now
    assert not people.textiles.memberships.exists()
    assert not Organisation.objects.filter(name="Neue Weberei GmbH").exists()
    people.textiles.refresh_from_db()
    assert people.textiles.listed_members == 0


def test_values_that_no_longer_fit_give_the_reason_instead_of_a_checklist(people):
    organisation = factories.organisation()
    change = propose(people.textiles, people.mia, management_organisation=organisation.slug)
    organisation.delete()
    result = checklist.for_request(change)
    assert result.problem
    assert all(item.now == item.proposed for item in result.items)


def test_the_review_page_shows_the_checklist_for_the_proposed_state(client, people):
    change = propose(people.textiles, people.mia, activities_per_year=12)
    client.force_login(people.rainer)
    page = client.get(f"/cluster/antraege/{change.pk}/").content.decode()
    assert "Aufnahmekriterien jetzt und mit dem Antrag" in page
    result = checklist.for_request(change)
    summary = f"jetzt {result.met_now} von 7, mit dem Antrag {result.met_proposed} von 7."
    assert summary in page
    assert result.met_proposed == result.met_now + 1
