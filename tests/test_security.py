"""Deployment settings and request-level protections."""

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
