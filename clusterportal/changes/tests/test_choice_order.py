"""The admission and edit forms offer Kreise and technology fields as a German dictionary
sorts them (an umlaut with its base letter), in the page's language."""

import pytest

from clusterportal.changes.admission import AdmissionForm
from clusterportal.changes.tests.test_edit import edit_url
from clusterportal.lib.text import collation_key

pytestmark = pytest.mark.django_db


def positions(html: str, *labels: str) -> list[int]:
    return [html.index(label) for label in labels]


def test_the_admission_form_offers_boeblingen_before_breisgau():
    labels = [label for _, label in AdmissionForm().fields["seat_kreis"].choices]
    assert labels[0] == "---------"
    assert len(labels) == 45
    kreise = ["Böblingen (Landkreis)", "Breisgau-Hochschwarzwald (Landkreis)"]
    kreise += ["Tübingen (Landkreis)", "Tuttlingen (Landkreis)", "Ulm (Stadtkreis)"]
    assert [label for label in labels if label in kreise] == kreise


def test_the_admission_form_still_accepts_a_kreis_by_its_short_name():
    form = AdmissionForm({"seat_kreis": "landkreis-boeblingen"})
    form.is_valid()
    assert "seat_kreis" not in form.errors
    assert form.cleaned_data["seat_kreis"].name == "Böblingen"


def test_the_admission_page_lists_the_kreise_in_that_order(client):
    html = client.get("/cluster/aufnahme/").content.decode()
    found = positions(html, ">Böblingen (Landkreis)<", ">Breisgau-Hochschwarzwald (Landkreis)<")
    assert found == sorted(found)


def test_the_edit_form_groups_fields_as_a_dictionary_sorts(client, people):
    client.force_login(people.mia)
    groups = client.get(edit_url(people.textiles)).context["form"].technology_groups()
    terms = [choice.name for group in groups for choice in group.choices]
    wanted = ["Bioökonomie", "Biopharmazie"]
    assert [term for term in terms if term in wanted] == wanted
    names = [group.name for group in groups]
    assert names == sorted(names, key=collation_key)
    assert len(names) == 34
