"""The web benchmark: how many pages per second the site serves under gunicorn, page by page,
next to the ceiling (a bare view through the same server and middleware); and how many pledges
per second it takes, with the counter checked afterwards.

    .venv/bin/python -m bench.bench_web [--duration 10] [--connections 20] [--rounds 1]

Everything runs on its own database (onpromet_bench_web, dropped and created again at each run,
then migrated) and its own Redis database (14, flushed at start), never on the development
ones. bench.web_data writes the site in bulk: 1 000 promises, one of them with 5 000
participants, 200 posts with photos and 20 news, its twin with 50 participants.

The server is what production runs: gunicorn with gunicorn.conf.py, 2 sync workers, DEBUG off
(a random SECRET_KEY per run, ALLOWED_HOSTS=127.0.0.1, HTTPS off so nothing redirects), static
files collected into a temporary STATIC_ROOT for WhiteNoise's manifest, and bench.settings:
the site's settings plus the ceiling's URL, which production URLs never contain.

Load comes from wrk (Debian's), `-t2 -c20 -d10s` per page after a short warm-up, on the same
machine; a small Lua script prints the figures wrk knows (requests, duration, p50, p99,
errors) as one machine-readable line. Logged-in pages use a session opened through the real
log-in form. The queries of each page are counted in this process, on the same database and
settings, with Django's test client: the next request's count (what wrk meets), and the first
one's when it differs ("(1st N)": a cache being filled). With --rounds N, each round loads every
page in turn, the ceiling first; each figure printed is the median over the rounds, each ratio
the median of the ratios to the same round's ceiling.

Pledges: wrk again, each POST the pledge of a different person (confirmed address, a session
and a CSRF token made beforehand) on an open promise with the largest objective. Afterwards
every new pledge row is checked against the POSTs that were answered, and the promise's
counter against COUNT(*).

One line per page goes to stdout, then the pledge line, then the issue's targets, each ok or
MISSED; progress goes to stderr. A missed target is a measurement, not a failure: the exit
code is 0 unless the harness itself could not run.
"""

import argparse
import contextlib
import datetime
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import Background, BenchError

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/onpromet_bench_web"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
CEILING_PATH = "/_bench/plafond/"  # bench.urls
WORKERS = 2
THREADS = 2  # wrk's
LOGGED_IN_MARK = "Se déconnecter"  # in the header of every page, for a logged-in visitor

# wrk's done(): prints what wrk measured as one line that this script parses.
REPORT_LUA = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d p50_us=%d p99_us=%d "
      .. "status=%d connect=%d read=%d write=%d timeout=%d sent=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout, sent_total and sent_total() or 0))
end
"""

# Pledges: each thread takes every n-th line of the credentials file (a Cookie header, a tab,
# the form's body) and sends each once; a thread out of lines stops and says so.
PLEDGE_LUA = """
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, count = args[1], tonumber(args[2])
  requests_made, sent, exhausted = {}, 0, 0
  local index = 0
  for line in io.lines(path) do
    if index % count == id then
      local cookie, body = line:match("^([^\\t]+)\\t(.+)$")
      table.insert(requests_made, wrk.format("POST", args[3], {
        ["Cookie"] = cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body))
    end
    index = index + 1
  end
end

function request()
  if sent >= #requests_made then
    exhausted = 1
    wrk.thread:stop()
    return requests_made[#requests_made]
  end
  sent = sent + 1
  return requests_made[sent]
end

function sent_total()
  local total, out = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("sent")
    out = out + thread:get("exhausted")
  end
  if out > 0 then io.write("wrk-exhausted\\n") end
  return total
end
"""


def log(message: str) -> None:
    print(f"[bench-web] {message}", file=sys.stderr, flush=True)


# --- Environment, database, Redis, static files -----------------------------------------------


def configure_environment(args, workdir: Path) -> None:
    """Before Django is imported: this process, manage.py and gunicorn read the same variables,
    those of production but for the addresses (no HTTPS on 127.0.0.1)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "CELERY_BROKER_URL": args.redis_url,
            "CACHE_URL": args.redis_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "false",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )


def manage(*arguments: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen, what: str) -> None:
    output, _ = process.communicate()
    if process.returncode:
        raise BenchError(f"{what} failed:\n{output}")


def prepare_database_and_redis(args) -> None:
    """A new database at each run: the schema of the code being measured, no rows or bloat
    left by the previous run's pledges."""
    import dj_database_url
    import psycopg
    import redis
    from psycopg import sql

    from onpromet import preflight

    db = dj_database_url.parse(args.database_url)
    if "bench" not in db["NAME"]:
        raise BenchError(f"refusing to drop {db['NAME']!r}: the name must contain 'bench'")
    with contextlib.redirect_stdout(sys.stderr):  # stdout is for the figures only
        preflight.check_postgres(args.database_url)
        preflight.check_redis(args.redis_url)
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "autocommit": True,
    }
    name = sql.Identifier(db["NAME"])
    with psycopg.connect(dbname="postgres", **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    redis.Redis.from_url(args.redis_url).flushdb()


# --- The server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn(Background):
    label = "gunicorn"

    def __init__(self, log_path: Path):
        super().__init__(log_path)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        self.start_logged(
            [sys.executable, "-m", "gunicorn", "onpromet.wsgi:application",
             "--config", "gunicorn.conf.py", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{self.port}"]
        )  # fmt: skip
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Until both workers answer (one answer could come from the first one up)."""
        stop_at = time.monotonic() + timeout
        answers = 0
        while time.monotonic() < stop_at:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode})\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _, _ = http_request(self.base + CEILING_PATH)
                answers += status == 200
                if answers >= 2 * WORKERS:
                    return
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s\n{self.log_tail()}")


# --- HTTP from this process (urllib: no redirect followed) ------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_request(url, *, cookie="", data=None, jar=None) -> tuple[int, dict, str]:
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        url, data=urllib.parse.urlencode(data).encode() if data else None
    )
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def log_in(base: str, email: str, password: str) -> str:
    """Through the real log-in form, as a browser would: the Cookie header of the session and
    the CSRF token (not the "Bienvenue" message's cookie, which would show it on every page)."""
    from django.conf import settings

    jar = http.cookiejar.CookieJar()
    status, _, page = http_request(f"{base}/accounts/login/", jar=jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise BenchError(f"the log-in page answered {status} without a CSRF token")
    form = {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
    status, headers, _ = http_request(f"{base}/accounts/login/", data=form, jar=jar)
    if status != 302:
        raise BenchError(f"logging in answered {status}, not a redirect")
    kept = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar if cookie.name in kept)


# --- Queries, in this process -------------------------------------------------------------------


def count_queries(path: str, cookie: str) -> tuple[int, int]:
    """(first request, next request): the page's queries, on the same database and settings."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies.load(cookie)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code} in process")
        counts.append(len(queries))
    return counts[0], counts[1]


# --- Load ---------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    sent: int = 0
    exhausted: bool = False

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(url: str, *, script: Path, seconds: float, connections: int, cookie="", extra=()):
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
               "-s", str(script)]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    if extra:
        command += ["--", *extra]
    result = subprocess.run(  # noqa: S603 (wrk, our arguments)
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    match = re.search(r"^wrk-result (.*)$", result.stdout, re.MULTILINE)
    if result.returncode or not match:
        raise BenchError(
            f"wrk failed on {url} ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    errors = {
        k: figures[k] for k in ("status", "connect", "read", "write", "timeout") if figures[k]
    }
    return Load(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
        sent=figures["sent"],
        exhausted="wrk-exhausted" in result.stdout,
    )


@dataclass
class Page:
    key: str
    label: str
    path: str
    logged_in: bool = False
    queries: tuple[int, int] = (0, 0)
    loads: list[Load] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def median_load(self) -> Load:
        return sorted(self.loads, key=lambda load: load.rate)[len(self.loads) // 2]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def pages_of(scene) -> list[Page]:
    big, small = f"/promesses/{scene.big}/", f"/promesses/{scene.small}/"
    return [
        Page("ceiling", "ceiling (bare view, CSRF form)", CEILING_PATH),
        Page("big", "promise 5 000, anonymous", big),
        Page("small", "promise 50, anonymous", small),
        Page("big-participant", "promise 5 000, participant", big, logged_in=True),
        Page("home", "home, anonymous", "/"),
        Page("home-logged", "home, logged in", "/", logged_in=True),
        Page("list", "/promesses/, anonymous", "/promesses/"),
        Page("list-logged", "/promesses/, logged in", "/promesses/", logged_in=True),
        Page("search", "/promesses/?q=plage, anonymous", "/promesses/?q=plage"),
        Page("bilan", "bilan, anonymous", f"/promesses/{scene.bilan}/bilan/"),
        Page("dashboard", "/moi/, logged in", "/moi/", logged_in=True),
    ]


def check_page(server: Gunicorn, page: Page, cookie: str) -> None:
    """What wrk will load is the page meant: a 200, logged in or not as it should be (wrk
    counts a redirect to the log-in page as a success)."""
    status, _, body = http_request(server.base + page.path, cookie=cookie)
    if status != 200:
        raise BenchError(f"{page.path} answered {status} under gunicorn\n{server.log_tail()}")
    if page.key != "ceiling" and (LOGGED_IN_MARK in body) != page.logged_in:
        state = "logged in" if page.logged_in else "anonymous"
        raise BenchError(f"{page.path} was not served as {state}")


# --- Pledges ------------------------------------------------------------------------------------


def pledge_credentials(user_ids: list[int]) -> list[tuple[str, str]]:
    """For each person: a session opened for them (what a log-in leaves, made here: logging
    10 000 people in through the form would hash 10 000 passwords) and a CSRF token. Returns
    (Cookie header, form body)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends import db
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.db import transaction
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for user in User.objects.filter(pk__in=user_ids).order_by("pk").only("pk", "password"):
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append((get_random_string(32, VALID_KEY_CHARS), data))
    if issubclass(store, db.SessionStore):  # rows in the database (db, cached_db): in bulk
        model = store.get_model_class()
        expire = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        model.objects.bulk_create(
            (model(session_key=k, session_data=store().encode(d), expire_date=expire)
             for k, d in sessions),
            batch_size=2000,
        )  # fmt: skip
    else:
        with transaction.atomic():
            for index, (_, data) in enumerate(sessions):
                session = store()
                session.update(data)
                session.create()
                sessions[index] = (session.session_key, data)
    credentials = []
    for key, _ in sessions:
        # The cookie carries the CSRF secret, the form the same secret (Django accepts both).
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        credentials.append((cookie, urllib.parse.urlencode({"csrfmiddlewaretoken": csrf})))
    return credentials


def pledge_rows(slug: str) -> tuple[int, int, int]:
    """(pledge rows of the promise, its counter, COUNT(*) of its counted pledges)."""
    from promises.models import Pledge, Promise

    promise = Promise.objects.get(slug=slug)
    pledges = Pledge.objects.filter(promise=promise)
    return pledges.count(), promise.pledge_count, pledges.participants().count()


@dataclass
class PledgeRun:
    load: Load
    made: int  # new pledge rows
    counter: int
    counted: int

    @property
    def answered(self) -> int:
        """POSTs answered within the run without an error status (each checked below)."""
        return self.load.requests - self.load.errors.get("status", 0)

    @property
    def real(self) -> bool:
        """Every answered POST made a pledge row (a few more rows: POSTs cut by wrk's stop,
        committed after it)."""
        return self.answered <= self.made <= self.load.sent

    @property
    def rate(self) -> float:
        return self.answered / self.load.seconds if self.load.seconds else 0.0

    @property
    def exact(self) -> bool:
        return self.counter == self.counted


def run_pledges(server: Gunicorn, scene, args, workdir: Path) -> PledgeRun:
    opened = time.monotonic()
    credentials = pledge_credentials(scene.pledgers)
    log(f"{len(credentials)} sessions opened for the pledges in {time.monotonic() - opened:.1f}s")
    path = f"/promesses/{scene.target}/promettre/"
    # One pledge first, checked one by one: a redirect back to the promise, a counted pledge.
    rows_before, _, _ = pledge_rows(scene.target)
    cookie, body = credentials.pop(0)
    status, headers, _ = http_request(
        server.base + path, cookie=cookie, data=dict(urllib.parse.parse_qsl(body))
    )
    rows, counter, counted = pledge_rows(scene.target)
    if status != 302 or rows != rows_before + 1 or counter != counted:
        raise BenchError(
            f"a pledge answered {status} ({headers.get('Location')}); rows {rows_before}→{rows}, "
            f"counter {counter}, COUNT(*) {counted}\n{server.log_tail()}"
        )
    credentials_file = workdir / "pledgers.tsv"
    credentials_file.write_text("".join(f"{c}\t{b}\n" for c, b in credentials))
    script = workdir / "pledge.lua"
    script.write_text(PLEDGE_LUA + REPORT_LUA)
    log(f"pledging for {args.duration:g} s…")
    load = wrk(
        server.base + path,
        script=script,
        seconds=args.duration,
        connections=args.connections,
        extra=[str(credentials_file), str(THREADS), path],
    )
    time.sleep(1)  # requests cut by wrk's stop may still be committing
    after, counter, counted = pledge_rows(scene.target)
    return PledgeRun(load=load, made=after - rows, counter=counter, counted=counted)


# --- Run ----------------------------------------------------------------------------------------


def machine_busy() -> float:
    import psutil

    return psutil.cpu_percent(interval=1)


def measure_pages(server: Gunicorn, pages: list[Page], cookie: str, args, workdir: Path) -> None:
    script = workdir / "report.lua"
    script.write_text(REPORT_LUA)
    for round_number in range(1, args.rounds + 1):
        ceiling = None
        for page in pages:
            page_cookie = cookie if page.logged_in else ""
            url = server.base + page.path
            if args.warmup:
                wrk(url, script=script, seconds=args.warmup, connections=args.connections,
                    cookie=page_cookie)  # fmt: skip
            load = wrk(url, script=script, seconds=args.duration, connections=args.connections,
                       cookie=page_cookie)  # fmt: skip
            if page.key == "ceiling":
                ceiling = load.rate
            page.loads.append(load)
            page.ratios.append(load.rate / ceiling if ceiling else 0.0)
            log(f"round {round_number}: {page.label}: {load.rate:.1f} req/s")


def run(args) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    configure_environment(args, workdir)
    server = collect = None
    try:
        started = time.monotonic()
        log("creating the bench database, collecting static files…")
        prepare_database_and_redis(args)
        collect = manage("collectstatic", "--no-input", "-v", "0")  # meanwhile
        finish(manage("migrate", "--no-input", "-v", "0"), "manage.py migrate")

        import django

        django.setup()
        from bench import web_data

        seeded = time.monotonic()
        scene = web_data.build(web_data.Sizes(pledgers=args.pledgers))
        web_data.analyze()
        log(f"data written in {time.monotonic() - seeded:.1f}s")
        finish(collect, "manage.py collectstatic")

        server = Gunicorn(workdir / "gunicorn.log").start()
        server.wait_ready()
        cookie = log_in(server.base, scene.participant_email, scene.participant_password)
        pages = pages_of(scene)
        for page in pages:  # in-process first: its first request is the page's first
            page.queries = count_queries(page.path, cookie if page.logged_in else "")
            check_page(server, page, cookie if page.logged_in else "")
        log(f"ready in {time.monotonic() - started:.0f}s; loading each page…")

        busy = machine_busy()
        if busy > 20:
            log(f"warning: the machine is already {busy:.0f}% busy; figures will be low")
        measure_pages(server, pages, cookie, args, workdir)
        pledges = run_pledges(server, scene, args, workdir)
        if server.process.poll() is not None:
            raise BenchError(f"gunicorn died during the run\n{server.log_tail()}")
    finally:
        if collect and collect.poll() is None:
            collect.kill()
            collect.wait()
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return report(pages, pledges, args, busy, time.monotonic() - started)


def report(pages: list[Page], pledges: PledgeRun, args, busy: float, elapsed: float) -> list[str]:
    by_key = {page.key: page for page in pages}
    lines = [
        f"bench-web: gunicorn {WORKERS} sync workers, wrk -t{THREADS} -c{args.connections} "
        f"-d{args.duration:g}s, {args.rounds} round(s), {os.cpu_count()} cores, machine busy "
        f"before {busy:.0f}%, {elapsed:.0f}s in all",
        f"{'page':<34}{'req/s':>9}{'p50':>10}{'p99':>10}  {'queries':<13}{'ratio':>7}",
    ]
    for page in pages:
        load = page.median_load()
        first, next_ = page.queries
        queries = str(next_) if first == next_ else f"{next_} (1st {first})"
        errors = f"  errors {load.errors}" if load.errors else ""
        lines.append(
            f"{page.label:<34}{load.rate:>9.1f}{load.p50_ms:>8.1f}ms{load.p99_ms:>8.1f}ms"
            f"  {queries:<13}{page.ratio:>6.1%}{errors}"
        )
    load = pledges.load
    lines.append(
        f"pledge POST: pledges/s={pledges.rate:.1f} ({pledges.answered} answered in "
        f"{load.seconds:.1f}s, {pledges.made} new pledge rows, p50 {load.p50_ms:.0f}ms, "
        f"p99 {load.p99_ms:.0f}ms) counter={'exact' if pledges.exact else 'WRONG'} "
        f"({pledges.counter} vs COUNT(*) {pledges.counted})"
        + ("" if pledges.real else " POSTS-NOT-PLEDGES")
        + (f" errors {load.errors}" if load.errors else "")
        + (" POOL-EXHAUSTED (raise --pledgers)" if load.exhausted else "")
    )
    valid = pledges.exact and pledges.real and not load.exhausted
    flat = by_key["big"].median_load().rate / by_key["small"].median_load().rate
    targets = [
        ("anonymous promise page at 5 000 >= 50% of ceiling", by_key["big"].ratio, 0.50, "%"),
        ("participant's promise page >= 20% of ceiling", by_key["big-participant"].ratio, 0.20,
         "%"),
        ("home, anonymous >= 30% of ceiling", by_key["home"].ratio, 0.30, "%"),
        ("/promesses/, anonymous >= 30% of ceiling", by_key["list"].ratio, 0.30, "%"),
        ("home, logged in >= 15% of ceiling", by_key["home-logged"].ratio, 0.15, "%"),
        ("/promesses/, logged in >= 15% of ceiling", by_key["list-logged"].ratio, 0.15, "%"),
        ("promise page at 5 000 >= 0.9x at 50", flat, 0.9, "x"),
        ("pledges >= 150/s, counter exact", pledges.rate if valid else 0.0, 150, "/s"),
    ]  # fmt: skip
    for label, value, goal, unit in targets:
        shown = {"%": f"{value:.1%}", "x": f"{value:.2f}x", "/s": f"{value:.1f}/s"}[unit]
        lines.append(f"target {label}: {shown} {'ok' if value >= goal else 'MISSED'}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each, 0 for none (2)")
    parser.add_argument("--connections", type=int, default=20, help="wrk's connections (20)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds over every page (1)")
    parser.add_argument(
        "--pledgers",
        type=int,
        default=0,
        help="people ready to pledge (default 1000 per second of --duration)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_WEB_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="dropped and created again: its name must contain 'bench'",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_WEB_REDIS_URL", DEFAULT_REDIS_URL)
    )
    args = parser.parse_args()
    if args.duration < 1 or args.warmup < 0 or args.rounds < 1 or args.connections < THREADS:
        parser.error(
            f"need --duration >= 1, --warmup >= 0, --rounds >= 1 and --connections >= {THREADS}"
        )
    args.pledgers = args.pledgers or int(1000 * args.duration)
    # Stopped by a signal, the run still stops its gunicorn (run()'s finally): SIGTERM exits
    # through Python, and SIGINT interrupts even when the shell started us ignoring it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if not shutil.which("wrk"):
        print(
            "bench-web: FAILED — wrk is missing (make wrk, or apt-get install wrk)", file=sys.stderr
        )
        return 1
    try:
        lines = run(args)
    except BenchError as error:
        print(f"bench-web: FAILED — {error}", file=sys.stderr)
        return 1
    print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
