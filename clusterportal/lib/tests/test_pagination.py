"""Pages of a list (lib/pagination.py): numbered from 1, a page after the last is an error."""

import pytest
from django.utils import translation

from clusterportal.lib.pagination import Page, PageOutOfRange, paginate
from clusterportal.regions.models import Region


def test_a_list_is_cut_into_pages_of_the_size_asked_for():
    page = paginate(list(range(45)), 3, 20)
    assert page == Page(list(range(40, 45)), 3, 20, 45)
    assert page.num_pages == 3
    assert paginate(list(range(45))).items == list(range(20))  # page 1 of 20 by default


def test_an_empty_list_has_one_empty_page_and_no_second():
    assert paginate([]).num_pages == 1
    with pytest.raises(PageOutOfRange, match="page 2 does not exist; the last page is 1"):
        paginate([], 2)


def test_the_message_of_a_page_after_the_last_is_translated_for_pages():
    error = PageOutOfRange(7, 6)
    assert error.localized_message == "Seite 7 gibt es nicht; die letzte Seite ist 6."
    with translation.override("en"):
        assert error.localized_message == "Page 7 does not exist; the last page is 6."


@pytest.mark.django_db
def test_a_queryset_costs_a_count_and_the_rows_of_its_page(django_assert_num_queries):
    kreise = Region.objects.filter(kind=Region.Kind.KREIS).order_by("name", "pk")
    with django_assert_num_queries(2):
        page = paginate(kreise.select_related("parent"), 5, 10, default_size=100)
    assert (page.total, page.num_pages, len(page.items)) == (44, 5, 4)
    assert page.items == list(kreise[40:])
