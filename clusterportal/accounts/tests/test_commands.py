"""The operator's commands: `clusterportal grant` and `clusterportal token`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from clusterportal.accounts.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_grant_creates_the_account_and_the_role_and_says_so():
    out = run("grant", "regional_contact", "Neu@Example.org", "--region", "region-neckar-alb")
    assert out == (
        "created account neu@example.org\n"
        "granted regional_contact of region-neckar-alb to neu@example.org\n"
    )
    user = get_user_model().objects.get(email="neu@example.org")
    assert not user.has_usable_password()
    assert list(user.roles.values_list("kind", "region__slug")) == [
        ("regional_contact", "region-neckar-alb")
    ]


def test_grant_twice_keeps_one_role():
    run("grant", "curator", "c@example.org")
    assert run("grant", "curator", "c@example.org") == "already had curator to c@example.org\n"
    assert Role.objects.filter(user__email="c@example.org").count() == 1


def test_grant_juror_with_the_organisation_that_flags_conflicts():
    from clusterportal.registry.models import Organisation

    Organisation.objects.create(slug="pruefinstitut", name="Prüfinstitut (Test)", kind="research")
    out = run("grant", "juror", "j@example.org", "--organisation", "pruefinstitut")
    assert out.endswith("granted juror (organisation pruefinstitut) to j@example.org\n")
    (role,) = Role.objects.filter(user__email="j@example.org")
    assert (role.kind, role.organisation.slug, role.region, role.initiative) == (
        "juror", "pruefinstitut", None, None)  # fmt: skip
    assert not role.user.is_staff  # a juror does not open the back office


def test_revoke_takes_the_role_away():
    run("grant", "cluster_manager", "m@example.org", "--initiative", "cars")
    out = run("grant", "cluster_manager", "m@example.org", "--initiative", "cars", "--revoke")
    assert out == "revoked cluster_manager of cars from m@example.org\n"
    assert not Role.objects.filter(user__email="m@example.org").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["curator", "kein-mail"], "not an e-mail address: 'kein-mail'"),
        (["regional_contact", "a@b.org"], "regional_contact takes --region SLUG"),
        (
            ["regional_contact", "a@b.org", "--region", "landkreis-tuebingen"],
            "no Region with the slug 'landkreis-tuebingen'",
        ),  # fmt: skip
        (
            ["cluster_manager", "a@b.org", "--initiative", "gibt-es-nicht"],
            "no initiative with the slug 'gibt-es-nicht'",
        ),  # fmt: skip
        (["curator", "a@b.org", "--region", "region-neckar-alb"], "curator takes neither"),
        (
            ["curator", "niemand@b.org", "--revoke"],
            "no account with the e-mail address niemand@b.org",
        ),  # fmt: skip
        (
            ["juror", "a@b.org", "--organisation", "gibt-es-nicht"],
            "no organisation with the slug 'gibt-es-nicht'",
        ),  # fmt: skip
        (["curator", "a@b.org", "--organisation", "x"], "--organisation goes with granting the"),
        (["juror", "a@b.org", "--initiative", "cars"], "juror takes neither"),
    ],
)
def test_bad_arguments_stop_with_the_reason_and_change_nothing(args, message):
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        run("grant", *args)
    assert get_user_model().objects.count() == users
    assert not Role.objects.exists()


def test_token_create_prints_a_token_that_is_stored_only_as_a_hash():
    run("grant", "cluster_manager", "m@example.org", "--initiative", "cars")
    secret = run("token", "create", "m@example.org", "--name", "CRM").strip()
    assert secret.startswith("cp_") and len(secret) > 40
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(secret) and secret not in token.digest
    assert token.name == "CRM"


def test_token_revoke_by_its_beginning():
    run("grant", "curator", "c@example.org")
    secret = run("token", "create", "c@example.org").strip()
    assert run("token", "revoke", secret[:10]) == f"revoked {secret[:10]}\n"
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError, match="no single active token"):
        run("token", "revoke", secret[:10])


def test_token_for_an_unknown_account_is_refused():
    with pytest.raises(CommandError, match="no account with the e-mail address x@y.org"):
        run("token", "create", "x@y.org")


def test_staff_roles_open_the_back_office_and_lose_it_with_the_last_such_role():
    run("grant", "curator", "c@example.org")
    run("grant", "regional_contact", "c@example.org", "--region", "region-neckar-alb")
    user = get_user_model().objects.get(email="c@example.org")
    assert user.is_staff
    run("grant", "curator", "c@example.org", "--revoke")
    user.refresh_from_db()
    assert user.is_staff
    run("grant", "regional_contact", "c@example.org", "--region", "region-neckar-alb", "--revoke")
    user.refresh_from_db()
    assert not user.is_staff


def test_a_cluster_manager_is_no_staff():
    run("grant", "cluster_manager", "m@example.org", "--initiative", "cars")
    assert not get_user_model().objects.get(email="m@example.org").is_staff
