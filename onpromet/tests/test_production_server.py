"""The processes as they run: `runserver` under `make run` holds no database connection per
browser tab; gunicorn, with the repository's gunicorn.conf.py and production settings, holds at
most its pool and tells nobody which server it is."""

import http.client
import os
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from conftest import TEST_REDIS_URL
from notifications.tests.fixtures import ROOT, free_port
from onpromet.tests.conftest import database_url_of_tests

TABS = 25


def connections_of(application: str) -> int:
    """Connections to Postgres of the processes started with PGAPPNAME=`application` (libpq,
    hence psycopg, names its connections after it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application]
        )
        return cursor.fetchone()[0]


def keep_alive_tabs(port: int, count: int) -> list[http.client.HTTPConnection]:
    """`count` browser tabs: each a keep-alive connection that has loaded the home page and
    stays open, as a browser keeps it."""
    tabs = []
    lock = threading.Lock()

    def open_tab() -> None:
        tab = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tab.request("GET", "/", headers={"Connection": "keep-alive"})
        response = tab.getresponse()
        response.read()
        assert response.status == 200
        with lock:
            tabs.append(tab)

    threads = [threading.Thread(target=open_tab) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(tabs) == count
    return tabs


@pytest.fixture
def runserver(tmp_path):
    """`manage.py runserver` as the Procfile starts it, with the development settings."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "DATABASE_URL": database_url_of_tests(),
        "REDIS_URL": TEST_REDIS_URL,
        "PGAPPNAME": "onpromet-runserver",
    }
    env.pop("CONN_MAX_AGE", None)
    log = (tmp_path / "runserver.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    stop = time.monotonic() + 30
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "runserver.log").read_text()
            assert time.monotonic() < stop, "runserver did not start"
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=15)
    log.close()


@pytest.mark.django_db(transaction=True)
def test_it_holds_no_connection_per_browser_tab_in_development(runserver):
    tabs = keep_alive_tabs(runserver, TABS)

    # Each tab's thread is still alive (its connection open), yet none holds Postgres.
    held = connections_of("onpromet-runserver")
    for tab in tabs:
        tab.close()
    print(f"{TABS} keep-alive tabs on runserver: {held} database connections held")
    assert held <= 1


@pytest.mark.django_db(transaction=True)
def test_it_holds_at_most_its_pool_in_production(server_factory):
    # One worker, a pool of 2.
    server = server_factory(DATABASE_POOL_SIZE="2", PGAPPNAME="onpromet-gunicorn").start()
    tabs = keep_alive_tabs(server.port, TABS)

    held = connections_of("onpromet-gunicorn")
    for tab in tabs:
        tab.close()
    print(f"{TABS} keep-alive clients on gunicorn (1 worker, pool of 2): {held} connections")
    assert 1 <= held <= 2


@pytest.mark.django_db(transaction=True)
def test_it_sends_no_server_banner(server_factory):
    server = server_factory().start()

    answer = server.visitor().get("/")

    assert answer.status == 200
    assert answer.headers.get("Server") is None
    assert "camera=()" in answer.headers["Permissions-Policy"]
