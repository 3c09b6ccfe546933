"""The people of the permission tests, by name (docs/roles.md).

Each persona is a real account with real roles on the shipped data:

* Clara Curator works for the ministry (curator);
* Rainer Regional is the regional contact of Region Neckar-Alb;
* Mia Manager keeps the profile of the Cluster Technische Textilien Neckar-Alb;
* Max Manager keeps a profile in Region Stuttgart (CARS), another Region;
* Ute Unternehmen is a registered company user without a role;
* an anonymous visitor is Django's AnonymousUser.

`personas()` makes them (once per test, inside its transaction); tests log in
with `client.force_login(people.mia)`. TOTP is set up for the staff personas,
so that the mandatory second factor does not stand in the way of what a test checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from clusterportal.accounts.models import Role, grant
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative

TEXTILES = "cluster-technische-textilien-neckar-alb"  # Region Neckar-Alb
CARS = "cars"  # Region Stuttgart
NETWORK = "afbw"  # a state-wide network: no regional contact
PASSWORD = "correct horse battery staple"  # every persona's


@dataclass
class People:
    clara: object  # curator
    rainer: object  # regional contact of Neckar-Alb
    mia: object  # cluster manager of TEXTILES
    max: object  # cluster manager of CARS
    ute: object  # registered company user
    anonymous: AnonymousUser
    textiles: ClusterInitiative
    cars: ClusterInitiative
    network: ClusterInitiative
    neckar_alb: Region


def account(email: str, name: str = ""):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=name
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def with_totp(user):
    """Give `user` a TOTP authenticator, as allauth's activation page does (accounts/two_factor.py)."""
    TOTP.activate(user, generate_totp_secret())
    return user


def log_in_with_totp(client, user) -> None:
    """Log `user` in as after a login with password and TOTP code (a staff member's login)."""
    from clusterportal.accounts.two_factor import SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = user.pk
    session.save()


def personas() -> People:
    neckar_alb = Region.objects.get(slug="region-neckar-alb")
    textiles = ClusterInitiative.objects.get(slug=TEXTILES)
    cars = ClusterInitiative.objects.get(slug=CARS)
    clara = account("clara.curator@wm.example", "Clara")
    rainer = account("rainer.regional@neckar-alb.example", "Rainer")
    mia = account("mia.manager@textil.example", "Mia")
    max_ = account("max.manager@cars.example", "Max")
    ute = account("ute@unternehmen.example", "Ute")
    grant(clara, Role.Kind.CURATOR)
    grant(rainer, Role.Kind.REGIONAL_CONTACT, region=neckar_alb)
    with_totp(clara)
    with_totp(rainer)
    grant(mia, Role.Kind.CLUSTER_MANAGER, initiative=textiles)
    grant(max_, Role.Kind.CLUSTER_MANAGER, initiative=cars)
    return People(
        clara=clara,
        rainer=rainer,
        mia=mia,
        max=max_,
        ute=ute,
        anonymous=AnonymousUser(),
        textiles=textiles,
        cars=cars,
        network=ClusterInitiative.objects.get(slug=NETWORK),
        neckar_alb=neckar_alb,
    )
