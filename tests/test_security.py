"""Deployment settings and request-level protections."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "cluster.example.org",
}


def test_the_deploy_check_is_clean_with_production_settings():
    env = {**os.environ, **PRODUCTION}
    result = subprocess.run(
        [sys.executable, "-m", "clusterportal.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_with_the_development_secret_key():
    env = {**os.environ, "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "clusterportal.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_setting_stops_the_start_with_its_name():
    env = {**os.environ, "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "-m", "clusterportal.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/cluster/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def settings_with(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Start the settings with `env` and print the named settings as JSON."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "clusterportal.settings", **env}
    for name in ("REDIS_URL", "SESSION_ENGINE", "TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([sys.executable, "-c", script], env=full, capture_output=True, text=True)


def test_without_redis_each_process_keeps_its_own_cache_and_sessions_stay_in_the_database():
    result = settings_with({}, "CACHES", "SESSION_ENGINE", "ALLAUTH_TRUSTED_PROXY_COUNT")
    values = json.loads(result.stdout)
    backends = {alias: config["BACKEND"] for alias, config in values["CACHES"].items()}
    assert backends == {
        "default": "django.core.cache.backends.locmem.LocMemCache",
        "responses": "django.core.cache.backends.locmem.LocMemCache",
        "exports": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert values["CACHES"]["responses"]["TIMEOUT"] is None
    assert values["CACHES"]["exports"]["TIMEOUT"] is None
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0


def test_redis_url_puts_both_caches_in_redis_and_the_proxy_settings_reach_allauth():
    env = {
        "REDIS_URL": "redis://cache.internal:6379/0",
        "SESSION_ENGINE": "cache",
        "TRUSTED_PROXY_COUNT": "1",
        "RESPONSE_CACHE_TIMEOUT": "3600",
    }
    names = ("CACHES", "SESSION_ENGINE", "ALLAUTH_TRUSTED_PROXY_COUNT")
    values = json.loads(settings_with(env, *names).stdout)
    for alias in ("default", "responses", "exports"):
        assert values["CACHES"][alias]["BACKEND"] == "django_redis.cache.RedisCache"
        assert values["CACHES"][alias]["LOCATION"] == "redis://cache.internal:6379/0"
    assert values["CACHES"]["responses"]["TIMEOUT"] == 3600
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    header = json.loads(
        settings_with(
            {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER"
        ).stdout
    )
    assert header == {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}


@pytest.mark.parametrize(
    "env, message",
    [
        (
            {"REDIS_URL": "http://cache:6379"},
            "REDIS_URL='http://cache:6379' must start with redis://",
        ),
        ({"SESSION_ENGINE": "cache"}, "SESSION_ENGINE=cache needs REDIS_URL"),
        ({"SESSION_ENGINE": "files"}, "SESSION_ENGINE='files' is not one of: cache, cached_db, db"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 is below the minimum 0"),
        (
            {"TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
            "set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both",
        ),
    ],
    ids=["redis-scheme", "cache-sessions-without-redis", "session-engine", "proxy-count", "both"],
)
def test_a_bad_cache_session_or_proxy_setting_stops_the_start_with_its_name(env, message):
    result = settings_with(env, "CACHES")
    assert result.returncode != 0
    assert message in result.stderr
