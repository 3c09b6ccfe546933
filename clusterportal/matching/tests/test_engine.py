"""The score on the shipped registry, with values worked out by hand (docs/matching.md)."""

import pytest

from clusterportal.matching import engine, sources
from clusterportal.matching.profiles import Profile
from clusterportal.registry.models import ClusterInitiative, Membership
from clusterportal.registry.tests import factories
from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db


def profile(slug: str) -> Profile:
    return engine.profile_of("initiative", ClusterInitiative.objects.get(slug=slug).pk)


def suggestion(query: str, partner: str, **options) -> engine.Suggestion:
    options.setdefault("limit", 100)
    found = [
        s
        for s in engine.suggest(profile(query), **options)
        if s.profile.url == f"/cluster/{partner}/"
    ]
    assert found, f"{partner} is not suggested for {query}"
    return found[0]


class TestScore:
    def test_the_same_fields_in_the_same_kreis_score_fields_related_and_region_in_full(self):
        # MedicalMountains and MedCare TechArea: both {Gesundheitswirtschaft, Medizintechnik},
        # both in the Landkreis Tuttlingen; no word in common (the stop words aside).
        s = suggestion("medicalmountains", "medcare-techarea")
        assert s.parts == {"fields": 1.0, "related_fields": 1.0, "region": 1.0, "words": 0.0}
        assert s.score == pytest.approx(0.45 + 0.25 + 0.15)
        assert s.reasons == [
            "Gemeinsame Felder: Gesundheitswirtschaft, Medizintechnik",
            "Gleicher Kreis: Tuttlingen, 0 km",
        ]

    def test_a_field_shared_exactly_counts_more_than_one_shared_only_by_its_broad_field(self):
        # CyberForum {Hightech, IT, Informationstechnologie, Software}; Software-Cluster
        # {Software, Unternehmenssoftware}, all under Informationstechnologie/Unternehmenssoftware.
        # CyberForum's in theirs: (0.5 + 0.5 + 0.5 + 1) / 4 = 0.625; theirs in CyberForum's:
        # (1 + 0.5) / 2 = 0.75; fields = 0.6875. Both in the Stadtkreis Karlsruhe.
        s = suggestion("cyberforum", "software-cluster")
        assert s.parts["fields"] == 0.6875
        assert s.parts["related_fields"] == 1.0
        assert s.parts["region"] == 1.0
        assert s.score == pytest.approx(0.45 * 0.6875 + 0.25 + 0.15, abs=1e-4)
        assert s.reasons[0] == "Gemeinsames Feld: Software"

    def test_fields_related_through_the_atlas_clusters_give_the_related_part_and_its_reason(self):
        # Photonik maps to "Information Technology and Analytical Instruments" (23),
        # Kreativwirtschaft to "Marketing, Design, and Publishing" (29) among others; their
        # relatedness in us-cbsa-2019 is 0.327, / 0.4 = 0.8177. Same Region Ostwürttemberg.
        s = suggestion("photonics-bw", "cluster-kreativwirtschaft-ostwuerttemberg")
        assert s.parts == {"fields": 0.0, "related_fields": 0.8177, "region": 0.7, "words": 0.0}
        assert s.score == pytest.approx(0.25 * 0.8177 + 0.15 * 0.7, abs=1e-4)
        assert s.reasons == [
            "Verwandt über die Cluster Informationstechnik und Analyseinstrumente–Marketing, "
            "Design und Verlagswesen (Relatedness 0,33; Photonik – Kreativwirtschaft)",
            "Gleiche Region: Ostwürttemberg, 7 km",
        ]

    def test_fields_in_one_statistical_cluster_are_related_in_full(self):
        # Gesundheitswirtschaft and Biotechnologie both map to Biopharmaceuticals (5): 1.
        # Medizintechnik (30) to Biotechnologie (5): phi 0.2197 / 0.4 = 0.5493.
        # MedicalMountains' broad fields in BioRN's: (1 + 0.5493) / 2 = 0.7746; BioRN's one
        # broad field in MedicalMountains': 1; related = (0.7746 + 1) / 2 = 0.8873.
        s = suggestion("medicalmountains", "biorn")
        assert s.parts["fields"] == 0.0
        assert s.parts["related_fields"] == 0.8873
        assert (
            "Verwandt über den Cluster Biopharmazie, dem Gesundheitswirtschaft und "
            "Biotechnologie zugeordnet sind"
        ) in s.reasons

    def test_a_rarer_word_in_common_weighs_more(self):
        # proHolz Schwarzwald shares "Schwarzwald" with Bauwerk Schwarzwald and only "Holz"
        # (in many names) with RegioHOLZ Nordschwarzwald.
        schwarzwald = suggestion("proholz-schwarzwald", "bauwerk-schwarzwald")
        holz = suggestion("proholz-schwarzwald", "regioholz-nordschwarzwald")
        assert schwarzwald.parts["words"] > holz.parts["words"] > 0
        assert "Gemeinsame Wörter: Schwarzwald" in schwarzwald.reasons
        assert "Gemeinsame Wörter: Holz" in holz.reasons

    def test_reasons_follow_the_active_language(self):
        from django.utils import translation

        with translation.override("en"):
            s = suggestion("medicalmountains", "medcare-techarea")
        assert s.reasons == [
            "Shared fields: Health economy, Medical engineering",
            "Same district: Tuttlingen, 0 km",
        ]

    def test_the_best_come_first_and_the_limit_holds(self):
        found = engine.suggest(profile("medicalmountains"), kinds=("initiative",), limit=3)
        assert [s.profile.url for s in found] == [
            "/cluster/medcare-techarea/",
            "/cluster/mmt-cluster/",
            "/cluster/biolago/",
        ]
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


class TestWhoIsSuggested:
    def test_never_the_query_itself(self):
        query = profile("medicalmountains")
        found = engine.suggest(query, limit=200)
        assert query.url not in [s.profile.url for s in found]

    def test_only_profiles_with_something_of_the_subject_in_common(self):
        # Same Kreis alone is no reason: GVD (turned parts) is in Tuttlingen too.
        found = engine.suggest(profile("medicalmountains"), limit=200)
        assert "/cluster/gvd/" not in [s.profile.url for s in found]
        assert all(
            s.parts["fields"] or s.parts["related_fields"] or s.parts["words"] for s in found
        )

    def test_cross_clustering_leaves_out_those_sharing_a_specific_field(self, fresh_matching_index):
        found = engine.suggest(
            profile("medicalmountains"), kinds=("initiative",), limit=5, exclude_same_fields=True
        )
        urls = [s.profile.url for s in found]
        assert urls[0] == "/cluster/biopro/"  # shares only the broad Gesundheitswirtschaft
        assert "/cluster/medcare-techarea/" not in urls
        mine = profile("medicalmountains").fields
        assert all(not (s.profile.fields & mine) for s in found)

    def test_a_postings_own_initiative_is_never_suggested_nor_an_initiatives_own_postings(
        self, fresh_matching_index
    ):
        medical = ClusterInitiative.objects.get(slug="medicalmountains")
        medtech = TechnologyField.objects.get(slug="medizintechnik").pk
        posting = Profile(
            "posting", 1, "Suche Partner für Implantate", "", frozenset({medtech}),
            "Implantate aus Titan", None, None, None, initiative_key=medical.pk,
        )  # fmt: skip
        sources.register("posting", lambda: [posting])
        found = engine.suggest(posting, limit=200)
        assert medical.get_absolute_url() not in [s.profile.url for s in found]
        assert "/cluster/medcare-techarea/" in [s.profile.url for s in found]
        for_medical = engine.suggest(profile("medicalmountains"), limit=200)
        assert ("posting", 1) not in [s.profile.ident for s in for_medical]
        for_medcare = engine.suggest(profile("medcare-techarea"), kinds=("posting",))
        assert [s.profile.ident for s in for_medcare] == [("posting", 1)]

    def test_an_organisation_has_the_fields_of_the_initiatives_it_is_a_member_of(
        self, fresh_matching_index
    ):
        company = factories.organisation("Titan Implantate Muster GmbH")
        Membership.objects.create(
            initiative=ClusterInitiative.objects.get(slug="medicalmountains"), organisation=company
        )
        found = engine.suggest(profile("medcare-techarea"), kinds=("organisation",))
        assert [(s.profile.title, s.parts["fields"]) for s in found] == [(company.name, 1.0)]
        assert found[0].profile.url == ""

    def test_a_change_in_the_registry_is_seen_by_the_next_query(self):
        before = engine.suggest(profile("medicalmountains"), kinds=("initiative",), limit=200)
        assert "/cluster/stuttgart-financial/" not in [s.profile.url for s in before]
        financial = ClusterInitiative.objects.get(slug="stuttgart-financial")
        financial.technology_fields.add(TechnologyField.objects.get(slug="medizintechnik"))
        after = engine.suggest(profile("medicalmountains"), kinds=("initiative",), limit=200)
        assert "/cluster/stuttgart-financial/" in [s.profile.url for s in after]

    def test_an_unpublished_or_inactive_initiative_has_no_profile(self):
        draft = factories.initiative(
            status=ClusterInitiative.Status.DRAFT, fields=["medizintechnik"]
        )
        assert engine.profile_of("initiative", draft.pk) is None
        inactive = ClusterInitiative.objects.filter(is_active=False).first()
        assert engine.profile_of("initiative", inactive.pk) is None
