"""The member list in a change request: upload, checks like an import, applied on approval."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterportal.changes import members
from clusterportal.changes.forms import InvalidChanges, validate
from clusterportal.changes.models import ChangeRequest
from clusterportal.changes.tests.pages import form_data, text
from clusterportal.lib.tables import write_csv, write_xlsx
from clusterportal.registry.models import Membership, Organisation
from clusterportal.registry.tests import factories

pytestmark = pytest.mark.django_db


def upload(header, rows, name="mitglieder.csv"):
    if name.endswith(".xlsx"):
        return SimpleUploadedFile(name, write_xlsx(header, rows, "Mitglieder"))
    return SimpleUploadedFile(name, write_csv(header, rows), content_type="text/csv")


def edit(client, people, file):
    url = f"/cluster/{people.textiles.slug}/bearbeiten/"
    return client.post(url, {**form_data(people.textiles), "members_file": file})


def test_a_manager_uploads_a_member_list_and_approval_writes_it(client, people):
    known = factories.organisation(
        "Gerberei Reutlingen", slug="gerberei-reutlingen", kind=Organisation.Kind.COMPANY
    )
    client.force_login(people.mia)
    file = upload(
        ["organisation", "name", "kind", "role", "since"],
        [
            [known.slug, "", "", "founding_member", "2009"],
            ["", "Hochschule Reutlingen", "university", "", ""],
        ],
    )
    assert edit(client, people, file).status_code == 302
    change = ChangeRequest.objects.get()
    assert change.changes["members"] == [
        {"organisation": known.slug, "role": "founding_member", "since": 2009, "until": None},
        {
            "organisation": "hochschule-reutlingen",
            "role": "member",
            "since": None,
            "until": None,
            "name": "Hochschule Reutlingen",
            "kind": "university",
            "website": "",
            "city": "",
        },
    ]
    assert not Membership.objects.exists()  # nothing public before approval

    client.force_login(people.rainer)
    review = text(client.get(change.get_absolute_url()).content.decode())
    assert "Gerberei Reutlingen (Gründungsmitglied, seit 2009)" in review
    assert "Hochschule Reutlingen (Mitglied, neu in der Datenbank: Hochschule)" in review
    client.post(f"{change.get_absolute_url()}entscheiden/", {"action": "approve"})

    people.textiles.refresh_from_db()
    assert people.textiles.listed_members == 2 and people.textiles.listed_companies == 1
    assert Organisation.objects.get(slug="hochschule-reutlingen").kind == "university"
    profile = text(client.get(people.textiles.get_absolute_url()).content.decode())
    assert "Gerberei Reutlingen" in profile and "Hochschule Reutlingen" in profile


def test_an_xlsx_file_is_read_too(client, people):
    client.force_login(people.mia)
    file = upload(["name", "kind"], [["Weberei Albstadt GmbH", "company"]], "liste.xlsx")
    assert edit(client, people, file).status_code == 302
    assert ChangeRequest.objects.get().changes["members"][0]["name"] == "Weberei Albstadt GmbH"


def test_the_file_replaces_the_list_so_a_missing_member_is_removed_on_approval(people):
    stays, leaves = factories.organisation(), factories.organisation()
    for organisation in (stays, leaves):
        Membership.objects.create(initiative=people.textiles, organisation=organisation)
    rows = validate(people.textiles, {"members": [{"organisation": stays.slug, "until": "2026"}]})
    change = ChangeRequest.propose(people.textiles, people.mia, rows, edit_token=None)
    change.approve(people.rainer)
    assert list(people.textiles.memberships.values_list("organisation__slug", "until_year")) == [
        (stays.slug, 2026)
    ]


def test_every_bad_row_is_named_with_row_and_column_and_nothing_is_saved(client, people):
    client.force_login(people.mia)
    file = upload(
        ["organisation", "name", "kind", "role", "since", "until", "initiative"],
        [
            ["gibt-es-nicht", "", "", "", "", "", ""],
            ["", "Firma ohne Art", "", "", "", "", ""],
            ["", "Firma X", "company", "chef", "2020", "2010", ""],
            ["", "Firma Y", "company", "", "", "", "cars"],
        ],
    )
    response = edit(client, people, file)
    assert response.status_code == 400
    page = text(response.content.decode())
    assert (
        "Zeile 2, Spalte organisation: unbekannte Organisation (Kurzname) „gibt-es-nicht“" in page
    )
    assert "Zeile 3, Spalte kind: ist ein Pflichtfeld" in page
    assert "Zeile 4, Spalte until: 2010 liegt vor 2020" in page
    assert "Zeile 4, Spalte role: „chef“ ist keiner der Werte" in page
    assert "Zeile 5, Spalte initiative: „cars“ ist nicht diese Initiative" in page
    assert '<a href="#id_members_file">' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_file_that_cannot_be_read_is_an_error_of_the_file_field(client, people):
    client.force_login(people.mia)
    response = edit(client, people, SimpleUploadedFile("liste.pdf", b"%PDF-1.4"))
    assert response.status_code == 400
    assert "Nur .csv- und .xlsx-Dateien können importiert werden." in text(
        response.content.decode()
    )
    response = edit(client, people, upload(["firma"], [["X"]]))
    assert "Spalte organisation (Kurzname) oder name fehlt" in text(response.content.decode())


def test_the_same_organisation_twice_is_an_error(people):
    organisation = factories.organisation()
    with pytest.raises(InvalidChanges) as caught:
        validate(
            people.textiles,
            {"members": [{"organisation": organisation.slug}, {"organisation": organisation.slug}]},
        )
    assert caught.value.errors["members"] == [
        "Zeile 2, Spalte organisation: dieselbe Mitgliedschaft wie in Zeile 1"
    ]


def test_the_current_list_downloads_in_the_upload_columns(client, people):
    organisation = factories.organisation("Spinnerei Mössingen")
    Membership.objects.create(
        initiative=people.textiles, organisation=organisation, since_year=2011
    )
    client.force_login(people.mia)
    response = client.get(f"/cluster/{people.textiles.slug}/mitglieder.csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(members.COLUMNS)
    assert lines[1].startswith(f"{organisation.slug},Spinnerei Mössingen,company,")
    client.force_login(people.max)
    assert client.get(f"/cluster/{people.textiles.slug}/mitglieder.csv").status_code == 403
