"""The shipped programmes and calls (data/calls/programmes.json): loaded with their sources,
idempotent, editors' changes kept, a bad file refused whole with each reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from clusterportal.calls.loading import load_programmes
from clusterportal.calls.models import Call, Programme

pytestmark = pytest.mark.django_db


def test_the_real_programmes_and_calls_are_loaded_each_with_its_source():
    assert Programme.objects.count() == 6
    assert Call.objects.count() == 6
    for record in [*Programme.objects.all(), *Call.objects.all()]:
        assert record.source_name and record.source_url.startswith(("http://", "https://"))
    archived = set(Programme.objects.filter(archived=True).values_list("slug", flat=True))
    assert archived == {
        "clusterwettbewerb", "efre-clip", "bmbf-internationalisierung-spitzencluster",
        "innovation-express",
    }  # fmt: skip


def test_only_dates_the_sources_give_are_set():
    dated = {c.slug: (c.opens_at, c.closes_at) for c in Call.objects.all()}
    assert (
        dated["clusterwettbewerb-2010"][0].date().isoformat() == "2010-05-31"
    )  # 1 June, 00:00 CEST
    assert dated["clusterwettbewerb-2010"][1] is None
    assert dated["innovation-express-2017"] == (None, None)


def test_loading_again_changes_nothing_and_keeps_an_edit():
    Programme.objects.filter(slug="gold-label-foerderung").update(budget="von Hand")
    report = load_programmes(settings.DATA_DIR)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 12)
    assert Programme.objects.get(slug="gold-label-foerderung").budget == "von Hand"
    updated = load_programmes(settings.DATA_DIR, update=True)
    assert updated.updated == 12
    gold = Programme.objects.get(slug="gold-label-foerderung")
    assert gold.budget == ""
    assert Call.objects.get(slug="gold-label-2023-2027").deadlines.count() == 1


def _broken_copy(tmp_path: Path, change) -> Path:
    target = tmp_path / "calls"
    target.mkdir()
    source = Path(settings.DATA_DIR) / "calls" / "programmes.json"
    document = json.loads(source.read_text(encoding="utf-8"))
    change(document)
    (target / "programmes.json").write_text(json.dumps(document), encoding="utf-8")
    return tmp_path


def test_a_bad_file_is_refused_whole_naming_each_row_and_field(tmp_path):
    def spoil(document):
        gold = document["programmes"][0]
        gold["slug"] = "neu-gold"
        gold["rate_percent"] = "150"
        gold["calls"][0]["slug"] = "neu-aufruf"
        gold["calls"][0]["eligibility_rules"] = [{"rule": "seat", "parameters": {}}]
        gold["calls"][0]["topics"] = ["alchemy"]

    before = (Programme.objects.count(), Call.objects.count())
    report = load_programmes(_broken_copy(tmp_path, spoil))
    assert (Programme.objects.count(), Call.objects.count()) == before
    assert any(line.startswith("programme neu-gold: rate_percent:") for line in report.rejected)
    assert any(line.startswith("call neu-aufruf: eligibility_rules: Regel 1 (seat), region:")
               for line in report.rejected)  # fmt: skip
    assert "call neu-aufruf: topics: unknown field 'alchemy'" in report.rejected
    assert not Programme.objects.filter(slug="neu-gold").exists()
