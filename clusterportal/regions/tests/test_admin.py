"""Region back office: outlines stay out of lists; deletes blocked by references say why."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterportal.regions.admin import boundary_summary
from clusterportal.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_region_list_never_reads_an_outline(admin_client, django_assert_num_queries):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:regions_region_changelist"))
    assert response.context["cl"].result_count == 62
    region_queries = [q["sql"] for q in queries if '"regions_region"' in q["sql"]]
    assert region_queries
    assert not any('"boundary"' in sql and "IS NOT NULL" not in sql for sql in region_queries)
    assert (
        '<td class="field-has_boundary"><img src="/static/admin/img/icon-yes.svg" alt="True">'
        in (response.content.decode())
    )


def test_the_change_page_summarises_the_outline_instead_of_showing_it(admin_client):
    kreis = Region.objects.get(kind="kreis", code="08111")
    page = admin_client.get(
        reverse("admin:regions_region_change", args=[kreis.pk])
    ).content.decode()
    assert boundary_summary(kreis.boundary) in page
    assert '"coordinates"' not in page
    assert boundary_summary(kreis.boundary).startswith(("Polygon, 1 Teilfläche", "MultiPolygon"))


def test_a_summary_counts_parts_and_points():
    square = [[[0, 0], [0, 1], [1, 1], [0, 0]]]
    assert boundary_summary({"type": "MultiPolygon", "coordinates": [square, square]}) == (
        "MultiPolygon, 2 Teilfläche(n), 8 Punkte"
    )
    assert boundary_summary(None) == "kein Umriss"


def test_a_region_with_initiatives_cannot_be_deleted_and_the_page_names_them(admin_client):
    region = Region.objects.get(slug="region-stuttgart")
    url = reverse("admin:regions_region_delete", args=[region.pk])
    page = admin_client.get(url).content.decode()
    assert "geschützte" in page
    assert "Animation Media Cluster Region Stuttgart" in page
    admin_client.post(url, {"post": "yes"})
    assert Region.objects.filter(pk=region.pk).exists()


def test_saving_a_region_keeps_its_outline(admin_client):
    kreis = Region.objects.get(kind="kreis", code="08111")
    outline = kreis.boundary
    response = admin_client.post(
        reverse("admin:regions_region_change", args=[kreis.pk]),
        {
            "kind": "kreis",
            "code": "08111",
            "name": "Stuttgart",
            "name_en": "Stuttgart",
            "designation": "Stadtkreis",
            "slug": kreis.slug,
            "parent": kreis.parent_id,
            "centroid_lat": kreis.centroid_lat,
            "centroid_lon": kreis.centroid_lon,
        },
    )
    assert response.status_code == 302
    kreis.refresh_from_db()
    assert kreis.boundary == outline
