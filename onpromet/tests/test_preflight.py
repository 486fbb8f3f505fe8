"""`make run` and `make test` start with this check: a missing service is one clear sentence."""

import os
import subprocess
import sys
import uuid

import psycopg

from onpromet.tests.test_settings import ROOT

CLOSED = "127.0.0.1:1"  # Nothing listens on port 1.


def preflight(**env):
    return subprocess.run(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "onpromet.preflight"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_says_in_one_sentence_that_postgres_must_be_started():
    result = preflight(DATABASE_URL=f"postgres://postgres@{CLOSED}/onpromet")
    assert result.returncode == 1
    assert "PostgreSQL ne répond pas sur 127.0.0.1:1 : démarrez-le" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_says_in_one_sentence_that_redis_must_be_started():
    result = preflight(REDIS_URL=f"redis://{CLOSED}/0")
    assert result.returncode == 1
    assert "Redis ne répond pas à redis://127.0.0.1:1/0 : démarrez-le" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_creates_a_missing_database():
    name = f"onpromet_preflight_{uuid.uuid4().hex[:8]}"
    try:
        result = preflight(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
        assert result.returncode == 0, result.stderr
        assert f"base de données « {name} » créée" in result.stdout
        assert preflight(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}").returncode == 0
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
