"""The search's relevance on the hand-made query set (relevance.py, relevance_queries.csv):
it must not get worse, and both databases must rank alike (CI runs this on both)."""

import json

import pytest

from clusterportal.registry.tests import relevance

pytestmark = pytest.mark.django_db

# The figures reached on the shipped data (docs/search.md, "Relevance"). Raise them when the
# search gets better; a change that lowers them is a regression.
MIN_TOP3_SHARE = 1.0  # 95 of 95
MIN_MRR = 0.98


@pytest.fixture(scope="module")
def outcomes(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return relevance.run(relevance.load_queries())


def test_the_set_has_sixty_queries_or_more_of_every_kind():
    queries = relevance.load_queries()
    assert len(queries) >= 60
    assert {q.kind for q in queries} == {
        "name", "partial", "typo", "compound", "abbreviation", "english", "place", "mixed",
    }  # fmt: skip


def test_the_share_of_queries_with_an_expected_entry_in_the_top_three_does_not_drop(outcomes):
    figures = relevance.figures(outcomes)
    assert figures.top3 >= MIN_TOP3_SHARE, relevance.report(outcomes)
    assert figures.mrr >= MIN_MRR, relevance.report(outcomes)


def test_every_database_finds_and_ranks_each_query_alike(outcomes):
    recorded = json.loads(relevance.RANKINGS.read_text(encoding="utf-8"))
    assert relevance.rankings(outcomes) == recorded
