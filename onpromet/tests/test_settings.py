"""Settings come from the environment; production settings pass Django's deployment checks."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "onpromet.example",
}


def manage(*args, **env):
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # A variable tests may set for Playwright must not reach a production check.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "peut-être"), ("EMAIL_PORT", "vingt-cinq")])
def test_it_fails_at_start_on_a_malformed_value(name, value):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_it_refuses_a_database_other_than_postgres():
    result = manage("check", DATABASE_URL="sqlite:///tmp/db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_it_refuses_a_short_secret_key_in_production():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "x" * 49})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def _database_settings(**env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'age': db['CONN_MAX_AGE'], 'options': db.get('OPTIONS', {})}))"
    )
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_closes_connections_after_each_request_in_development():
    """runserver serves each keep-alive connection in a thread: none may keep its own."""
    assert _database_settings() == {"age": 0, "options": {}}


def test_it_shares_a_bounded_pool_per_process_in_production():
    assert _database_settings(**PRODUCTION)["options"]["pool"]["max_size"] == 4
    sized = _database_settings(**PRODUCTION, DATABASE_POOL_SIZE="7")
    assert sized["options"]["pool"]["max_size"] == 7
    # The pool replaces persistent connections (Django refuses both at once).
    assert sized["age"] == 0
    assert _database_settings(**PRODUCTION, DATABASE_POOL_SIZE="0")["options"] == {}
