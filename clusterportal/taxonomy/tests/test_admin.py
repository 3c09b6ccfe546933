"""Technology field back office."""

import pytest
from django.urls import reverse

from clusterportal.taxonomy.models import TechnologyField

pytestmark = pytest.mark.django_db


def test_the_field_list_counts_initiatives_in_a_constant_number_of_queries(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:taxonomy_technologyfield_changelist")
    with django_assert_num_queries(6):
        response = admin_client.get(url, {"all": ""})
    fields = {f.slug: f for f in response.context["cl"].result_list}
    assert len(fields) == TechnologyField.objects.count() == 138
    parent = TechnologyField.objects.get(slug="medizintechnik").top
    for number in range(10):
        TechnologyField.objects.create(
            slug=f"testfeld-{number}", name=f"Testfeld {number}", parent=parent, name_source="own"
        )
    with django_assert_num_queries(6):
        assert len(admin_client.get(url, {"all": ""}).context["cl"].result_list) == 148
    assert fields["medizintechnik"].initiatives_total == (
        TechnologyField.objects.get(slug="medizintechnik").initiatives.count()
    )


def test_the_level_filter_separates_top_level_and_specific_fields(admin_client):
    url = reverse("admin:taxonomy_technologyfield_changelist")
    top = admin_client.get(url, {"ebene": "top"}).context["cl"].result_count
    specific = admin_client.get(url, {"ebene": "specific"}).context["cl"].result_count
    assert top == TechnologyField.objects.top_level().count()
    assert top + specific == 138


def test_the_industry_code_list_opens(admin_client):
    assert admin_client.get(reverse("admin:taxonomy_industrycode_changelist")).status_code == 200
