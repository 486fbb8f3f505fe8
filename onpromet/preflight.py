"""Check that Postgres and Redis answer, and create the database if it is missing.

Run by `make run` and `make test` before anything else, so that a missing service is reported
in one clear sentence instead of a stack trace. Reads the same variables as the settings.
"""

import os
import sys

import dj_database_url
import psycopg
import redis
from psycopg import sql

from onpromet.env import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL


def fail(sentence: str) -> None:
    print(f"\n  ✗ {sentence}\n", file=sys.stderr)
    sys.exit(1)


def check_postgres(url: str) -> None:
    db = dj_database_url.parse(url)
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "connect_timeout": 3,
        "autocommit": True,
    }
    try:
        with psycopg.connect(dbname="postgres", **params) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                print(f"  ✓ base de données « {db['NAME']} » créée")
    except psycopg.OperationalError:
        fail(
            f"PostgreSQL ne répond pas sur {params['host']}:{params['port']} : démarrez-le "
            "(sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) "
            "ou corrigez DATABASE_URL."
        )


def check_redis(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.exceptions.RedisError:
        fail(
            f"Redis ne répond pas à {url} : démarrez-le (redis-server --daemonize yes "
            "--bind 127.0.0.1 --port 6379) ou corrigez REDIS_URL."
        )


def main() -> None:
    check_postgres(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    check_redis(os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    print("  ✓ PostgreSQL et Redis répondent")


if __name__ == "__main__":
    main()
