"""The back office of the services asks the same rule as the pages (services.handle)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterportal.services.tests.helpers import make_request
from clusterportal.tests.personas import log_in_with_totp

pytestmark = pytest.mark.django_db


def test_curators_keep_the_catalogue_and_read_the_requests(client, people):
    request = make_request(people)
    log_in_with_totp(client, people.clara)
    assert client.get(reverse("admin:services_service_changelist")).status_code == 200
    assert client.get(reverse("admin:services_servicerequest_changelist")).status_code == 200
    change = reverse("admin:services_servicerequest_change", args=[request.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: steps go through the page
    assert client.get(reverse("admin:services_servicerequest_add")).status_code == 403


def test_a_regional_contact_sees_nothing_of_the_services_in_the_back_office(client, people):
    make_request(people)
    log_in_with_totp(client, people.rainer)
    for name in ("admin:services_service_changelist", "admin:services_servicerequest_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
