"""Every cell of the role matrix (docs/roles.md), both ways, with named personas."""

import pytest

from clusterportal.accounts.models import Role, grant
from clusterportal.accounts.rules import forget_roles

pytestmark = pytest.mark.django_db

# permission -> persona -> (textiles of Neckar-Alb, CARS of Stuttgart, a state-wide network)
MATRIX = {
    # calls/rules.py: staff edit programmes and calls; the check of an initiative on a call's
    # page is for those who act for it.
    "calls.edit": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "calls.check_eligibility": {
        "clara": (True, True, True),
        "rainer": (True, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    # calls/rules.py: applications for an initiative are its managers'; the procedure is the
    # office's (the rules on one application: calls/tests/test_jury.py).
    "calls.apply": {
        "clara": (False, False, False),
        "rainer": (False, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "calls.run_procedure": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    # content/rules.py; the article-scoped rules are checked in content/tests/test_workflow.py.
    "content.write_news": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (True, True, True),
        "max": (True, True, True),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "content.review_article": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "content.publish_article": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "content.edit_publication": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.propose_change": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.view_changes": {
        "clara": (True, True, True),
        "rainer": (True, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.review_change": {
        "clara": (True, True, True),
        "rainer": (True, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.publish_initiative": {
        "clara": (True, True, True),
        "rainer": (True, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.edit_record": {
        "clara": (True, True, True),
        "rainer": (True, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "registry.curate": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "events.organise": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    # The ClusterAgentur's services (docs/services.md): a cluster management requests one
    # for its own initiative; the curators handle every request; both see it.
    "services.request": {
        "clara": (False, False, False),
        "rainer": (False, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "services.view_request": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (True, False, False),
        "max": (False, True, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "services.handle": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "portal.edit_site": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    # partnersearch/rules.py: the permissions that do not depend on a posting (the ones on
    # a posting: partnersearch/tests/test_permissions.py).
    "partnersearch.post": {
        "clara": (True, True, True),
        "rainer": (True, True, True),
        "mia": (True, True, True),
        "max": (True, True, True),
        "ute": (True, True, True),
        "anonymous": (False, False, False),
    },
    "partnersearch.review_queue": {
        "clara": (True, True, True),
        "rainer": (True, True, True),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
    "partnersearch.see_outcomes": {
        "clara": (True, True, True),
        "rainer": (False, False, False),
        "mia": (False, False, False),
        "max": (False, False, False),
        "ute": (False, False, False),
        "anonymous": (False, False, False),
    },
}


@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_each_persona_has_exactly_the_rights_of_the_matrix(people, permission):
    for name, expected in MATRIX[permission].items():
        user = getattr(people, name)
        got = tuple(
            user.has_perm(permission, obj) for obj in (people.textiles, people.cars, people.network)
        )
        assert got == expected, f"{name} {permission}: {got} != {expected}"


def test_a_django_model_permission_gives_no_registry_right(people):
    from django.contrib.auth.models import Permission

    people.ute.is_staff = True
    people.ute.save()
    people.ute.user_permissions.add(Permission.objects.get(codename="change_clusterinitiative"))
    assert people.ute.has_perm("registry.change_clusterinitiative")
    assert not people.ute.has_perm("registry.edit_record", people.textiles)
    assert not people.ute.has_perm("registry.publish_initiative", people.textiles)


def test_a_granted_role_counts_once_the_cached_roles_are_forgotten(people):
    assert not people.ute.has_perm("registry.propose_change", people.cars)
    grant(people.ute, Role.Kind.CLUSTER_MANAGER, initiative=people.cars)
    forget_roles(people.ute)
    assert people.ute.has_perm("registry.propose_change", people.cars)


def test_only_curators_manage_people(people):
    assert people.clara.has_perm("accounts.manage_people")
    for name in ("rainer", "mia", "max", "ute", "anonymous"):
        assert not getattr(people, name).has_perm("accounts.manage_people"), name


def test_every_account_may_use_it_and_an_anonymous_visitor_may_not(people):
    for name in ("clara", "rainer", "mia", "max", "ute"):
        assert getattr(people, name).has_perm("accounts.use_account"), name
    assert not people.anonymous.has_perm("accounts.use_account")
