"""The one filter shape (lib/filters.py) and the API's list helpers (lib/api.py)."""

import pytest
from django import forms
from django.db.models import QuerySet
from django.test import RequestFactory
from django.utils import translation

from clusterportal.lib.api import ApiError, checked_filter, list_response
from clusterportal.lib.filters import ListFilter
from clusterportal.regions.models import Region

pytestmark = pytest.mark.django_db


class KreisForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=20)
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=50)


class KreisFilter(ListFilter[Region]):
    form_class = KreisForm
    default_page_size = 10

    def queryset(self) -> QuerySet[Region]:
        kreise = Region.objects.without_boundaries().filter(kind=Region.Kind.KREIS)
        if self.params["name"]:
            kreise = kreise.filter(name__icontains=self.params["name"])
        return kreise.order_by("name", "pk")


def get(**query):
    return RequestFactory().get("/api/v1/kreise", query)


def test_a_filter_validates_its_parameters_and_pages_its_records():
    filters = KreisFilter({"page": "2"})
    assert filters.is_valid()
    page = filters.page()
    assert (page.number, page.page_size, page.total, page.num_pages) == (2, 10, 44, 5)
    assert KreisFilter({"name": "Stuttgart"}).is_valid()
    assert filters.facets() == []


def test_errors_name_the_parameter_in_the_active_language():
    filters = KreisFilter({"page_size": "500"})
    assert not filters.is_valid()
    assert filters.errors == {"page_size": ["Dieser Wert muss kleiner oder gleich 50 sein."]}  # fmt: skip
    with translation.override("en"):
        assert filters.errors == {"page_size": ["Ensure this value is less than or equal to 50."]}


def test_the_api_list_response_has_the_page_and_its_neighbours():
    request = get(name="en", page=2, page_size=3)
    filters = checked_filter(request, KreisFilter)
    body = list_response(request, filters)
    matching = list(filters.queryset())
    assert len(matching) > 6
    assert {k: body[k] for k in ("count", "page", "page_size", "num_pages")} == {
        "count": len(matching),
        "page": 2,
        "page_size": 3,
        "num_pages": -(-len(matching) // 3),
    }
    assert body["results"] == matching[3:6]
    assert body["next"] == "http://testserver/api/v1/kreise?name=en&page=3&page_size=3"
    assert body["previous"] == "http://testserver/api/v1/kreise?name=en&page=1&page_size=3"


def test_the_api_list_response_may_serialise_the_rows_itself():
    request = get(page_size=2)
    filters = checked_filter(request, KreisFilter)
    body = list_response(request, filters, lambda rows: [r.slug for r in rows])
    assert body["results"] == [r.slug for r in filters.queryset()[:2]]
    assert body["previous"] is None


def test_bad_parameters_are_one_400_in_english_whatever_the_language():
    with pytest.raises(ApiError) as raised:
        checked_filter(get(page_size=500, colour="rot"), KreisFilter)
    assert raised.value.status == 400 and list(raised.value.fields) == ["colour"]
    with pytest.raises(ApiError) as raised:
        checked_filter(get(page_size=500), KreisFilter)
    assert raised.value.fields == {"page_size": ["Ensure this value is less than or equal to 50."]}


def test_a_page_after_the_last_is_a_404_that_names_the_last_page():
    request = get(page=9)
    with pytest.raises(ApiError) as raised:
        list_response(request, checked_filter(request, KreisFilter))
    assert (raised.value.status, raised.value.code) == (404, "page_out_of_range")
    assert raised.value.fields == {"page": ["page 9 does not exist; the last page is 5"]}
