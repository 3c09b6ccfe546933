"""Derived state follows every write, whatever the caller (regressions of a code review).

Each test here failed on main before registry/derived.py and the one label rule:
a rename left the search text stale, a plain create left the member counts at 0,
a label made outside the importer had no end of validity, and an award dated
29 February crashed an import row.
"""

import datetime

import pytest
from django.core.management import CommandError, call_command

from clusterportal.registry.models import ClusterInitiative, Label, Membership, Organisation
from clusterportal.registry.tests import factories
from clusterportal.registry.tests.files import csv_bytes

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives"


def found(client, query: str) -> set[str]:
    return {row["slug"] for row in client.get(LIST, {"q": query}).json()["results"]}


class TestRenamesRefreshTheSearchText:
    def test_a_renamed_technology_field_is_found_by_its_new_name_only(self, client):
        record = factories.initiative(fields=["photonics"])
        assert record.slug in found(client, "Photonik")
        field = factories.field("photonics")
        field.name, field.name_en = "Lichttechnologien", "Light technologies"
        field.save()
        assert record.slug in found(client, "Lichttechnologien")
        assert record.slug not in found(client, "Photonik")

    def test_a_renamed_parent_field_refreshes_the_initiatives_of_its_children(self, client):
        child = factories.field("biotechnologie")
        assert child.parent is not None
        record = factories.initiative(fields=["biotechnologie"])
        child.parent.name = "Zukunftsquerschnitt"
        child.parent.save()
        assert record.slug in found(client, "Zukunftsquerschnitt")

    def test_a_renamed_region_is_found_by_its_new_name(self, client):
        region = factories.region("region-neckar-alb")
        record = factories.initiative(region=region)
        region.name = "Schwäbische Alb Nord"
        region.save()
        assert record.slug in found(client, "Schwäbische Alb Nord")

    def test_fields_added_from_the_fields_side_are_searchable(self, client):
        record = factories.initiative()
        factories.field("photonics").initiatives.add(record)
        assert record.slug in found(client, "Photonik")
        factories.field("photonics").initiatives.clear()
        assert record.slug not in found(client, "Photonik")


class TestMemberCountsFollowEveryWrite:
    def counts(self, record: ClusterInitiative) -> tuple[int, int]:
        record.refresh_from_db()
        return record.listed_members, record.listed_companies

    def test_a_plain_create_and_delete_keep_the_counts(self):
        record = factories.initiative()
        membership = Membership.objects.create(
            initiative=record, organisation=factories.organisation()
        )
        assert self.counts(record) == (1, 1)
        membership.delete()
        assert self.counts(record) == (0, 0)

    def test_bulk_create_update_and_queryset_delete_keep_the_counts(self):
        record = factories.initiative()
        organisations = [factories.organisation() for _ in range(3)]
        Membership.objects.bulk_create(
            Membership(initiative=record, organisation=o) for o in organisations
        )
        assert self.counts(record) == (3, 3)
        Membership.objects.filter(organisation=organisations[0]).update(until_year=2020)
        assert self.counts(record) == (2, 2)
        Membership.objects.filter(initiative=record).delete()
        assert self.counts(record) == (0, 0)

    def test_a_company_that_becomes_a_research_institute_leaves_the_company_count(self):
        record = factories.initiative()
        company = factories.organisation()
        Membership.objects.create(initiative=record, organisation=company)
        company.kind = Organisation.Kind.RESEARCH
        company.save()
        assert self.counts(record) == (1, 0)

    def test_a_membership_moved_to_another_initiative_is_counted_there_only(self):
        first, second = factories.initiative(), factories.initiative()
        membership = Membership.objects.create(
            initiative=first, organisation=factories.organisation()
        )
        membership.initiative = second
        membership.save()
        assert self.counts(first) == (0, 0)
        assert self.counts(second) == (1, 1)


class TestOneLabelValidityRule:
    def test_a_bw_label_made_anywhere_is_valid_two_years_on_page_and_api(self, client):
        record = factories.initiative()
        factories.label(
            record, Label.Kind.CLUSTER_EXCELLENCE_BW, awarded_on=datetime.date(2014, 2, 18)
        )
        body = client.get(f"{LIST}/{record.slug}").json()
        assert body["labels"][0]["valid_until"] == "2016-02-18"
        page = client.get(record.get_absolute_url()).content.decode()
        assert "gültig bis 18.02.2016" in page

    def test_an_award_on_29_february_ends_on_28_february(self):
        label = Label(kind=Label.Kind.CLUSTER_EXCELLENCE_BW, awarded_on=datetime.date(2016, 2, 29))
        label.apply_validity_rule()
        assert label.valid_until == datetime.date(2018, 2, 28)

    def test_bulk_created_labels_get_the_rule_too(self):
        record = factories.initiative()
        (label,) = Label.objects.bulk_create(
            [
                Label(
                    initiative=record,
                    kind=Label.Kind.CLUSTER_EXCELLENCE_BW,
                    awarded_on=datetime.date(2015, 7, 3),
                )
            ]
        )
        assert Label.objects.get(pk=label.pk).valid_until == datetime.date(2017, 7, 3)

    def test_kinds_without_a_term_keep_the_date_of_their_source(self):
        record = factories.initiative()
        label = factories.label(
            record,
            Label.Kind.ECEI_GOLD,
            awarded_on=datetime.date(2024, 5, 1),
            valid_until=datetime.date(2026, 5, 1),
        )
        assert label.valid_until == datetime.date(2026, 5, 1)


class TestImportsOfAwardDates:
    header = ["name", "kind", "region", "labels"]

    def test_an_award_on_29_february_imports_with_its_end_of_validity(self, tmp_path):
        path = tmp_path / "initiativen.csv"
        row = ["Schaltjahr-Netzwerk", "cluster_initiative", "Neckar-Alb", "Cluster-Exzellenz BW (29.2.2016)"]  # fmt: skip
        path.write_bytes(csv_bytes([self.header, row]))
        call_command("import_initiatives", path)
        label = Label.objects.get(initiative__name="Schaltjahr-Netzwerk")
        assert (label.awarded_on, label.valid_until) == (
            datetime.date(2016, 2, 29),
            datetime.date(2018, 2, 28),
        )

    def test_a_date_that_does_not_exist_is_a_row_error(self, tmp_path, capsys):
        path = tmp_path / "initiativen.csv"
        row = ["Kein-Tag-Netzwerk", "cluster_initiative", "Neckar-Alb", "Cluster-Exzellenz BW (29.2.2015)"]  # fmt: skip
        path.write_bytes(csv_bytes([self.header, row]))
        with pytest.raises(CommandError, match="^1 Fehler; nichts wurde importiert$"):
            call_command("import_initiatives", path)
        assert capsys.readouterr().err == (
            "Zeile 2, Spalte labels: kein gültiges Datum „29.2.2015“\n"
        )
        assert not ClusterInitiative.objects.filter(name="Kein-Tag-Netzwerk").exists()
