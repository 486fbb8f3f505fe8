"""The email benchmark: one promise with N participants reaches its objective; how long until a
real Celery worker has handed the last of the N+1 emails to an SMTP server, and how much memory
does the worker need on the way?

    .venv/bin/python -m bench.bench_email --n 100000

Everything runs on its own database (onpromet_bench, created and migrated if missing) and its
own Redis database (13, flushed at start), never on the development ones. The worker runs with
DEBUG off (production settings: cached template loader, no query log), so it needs a SECRET_KEY
(random, per run) and ALLOWED_HOSTS.

Three processes take part, as in production:
- this script: seeds the data with bulk SQL (N users, their verified addresses, N-1 active
  pledges), then makes the last pledge through `promises.services.pledge_create`, whose
  transaction moves the promise to REACHED and writes the broadcast; its on_commit enqueues the
  task on the bench Redis. The clock starts at that commit. While waiting, it samples the
  worker's memory (RSS of the main process plus its pool children, every 0.2 s) with psutil;
- an SMTP sink (a minimal asyncio SMTP server) in a separate process, so that its CPU is not
  taken from this script's sampling; it only counts connections, messages and recipients;
- a `celery -A onpromet worker` with one pool process per core.

The clock stops when the sink has accepted N+1 messages (the initiator is told too). One line
of figures goes to stdout; progress goes to stderr.
"""

import argparse
import contextlib
import multiprocessing
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.processes import Background, BenchError

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/onpromet_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
SAMPLE_EVERY = 0.2  # seconds between two memory samples
MB = 1024 * 1024


def log(message: str) -> None:
    print(f"[bench-email] {message}", file=sys.stderr, flush=True)


# --- The SMTP sink (its own process) ----------------------------------------------------------


def _sink_main(port, connections, messages, recipients, first_at, last_at, ready, stop) -> None:
    """A minimal SMTP server that accepts every message and counts. It speaks just enough of
    RFC 5321 for a client like smtplib (one command per line, no pipelining) and parses
    nothing but RCPT TO, so that its CPU hardly competes with the worker's on the same cores: in
    production the SMTP server is another host. (aiosmtpd, used by the tests, costs ~0.8 ms of
    CPU per message: as much as a third of the worker's.)"""
    import asyncio

    seen: set[str] = set()

    class Session(asyncio.Protocol):
        def connection_made(self, transport) -> None:
            connections.value += 1
            self.transport = transport
            self.buffer = b""
            self.in_data = False
            transport.write(b"220 bench-sink ESMTP\r\n")

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while True:
                if self.in_data:
                    end = self.buffer.find(b"\r\n.\r\n")
                    if end < 0:
                        return
                    self.buffer = self.buffer[end + 5 :]
                    self.in_data = False
                    now = time.time()
                    if not messages.value:
                        first_at.value = now
                    messages.value += 1
                    recipients.value = len(seen)
                    last_at.value = now
                    self.transport.write(b"250 OK\r\n")
                    continue
                end = self.buffer.find(b"\r\n")
                if end < 0:
                    return
                line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
                self.command(line)

        def command(self, line: bytes) -> None:
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.transport.write(b"250-bench-sink\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                seen.add(line.partition(b":")[2].strip(b" <>").decode())
                self.transport.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 Bye\r\n")
                self.transport.close()
            else:  # HELO, MAIL, RSET, NOOP
                self.transport.write(b"250 OK\r\n")

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Session, "127.0.0.1", 0)
        port.value = server.sockets[0].getsockname()[1]
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        server.close()

    asyncio.run(serve())


class Sink:
    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self.port = ctx.RawValue("i", 0)
        self.connections = ctx.RawValue("q", 0)
        self.messages = ctx.RawValue("q", 0)
        self.recipients = ctx.RawValue("q", 0)
        self.first_at = ctx.RawValue("d", 0.0)
        self.last_at = ctx.RawValue("d", 0.0)
        self._ready, self._stop = ctx.Event(), ctx.Event()
        self.process = ctx.Process(
            target=_sink_main,
            args=(self.port, self.connections, self.messages, self.recipients, self.first_at,
                  self.last_at, self._ready, self._stop),
            name="bench-email-smtp-sink",
            daemon=True,
        )  # fmt: skip

    def start(self) -> "Sink":
        self.process.start()
        if not self._ready.wait(timeout=30):
            raise BenchError("the SMTP sink did not start within 30 s")
        return self

    def stop(self) -> None:
        self._stop.set()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)


# --- Environment, database, Redis -------------------------------------------------------------


def configure_environment(args) -> None:
    """Before Django is imported: this process, `manage.py migrate` and the worker all read the
    same variables."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "onpromet.settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "CELERY_BROKER_URL": args.redis_url,
            "CACHE_URL": args.redis_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    if args.batch_size:
        os.environ["OUTBOX_BATCH_SIZE"] = str(args.batch_size)


def prepare_database_and_redis(args) -> None:
    import dj_database_url
    import redis

    from onpromet import preflight

    if dj_database_url.parse(args.database_url)["NAME"] == "onpromet":
        raise BenchError("refusing to run on the development database 'onpromet'")
    with contextlib.redirect_stdout(sys.stderr):  # stdout is for the line of figures only
        preflight.check_postgres(args.database_url)  # creates the database when missing
        preflight.check_redis(args.redis_url)
    redis.Redis.from_url(args.redis_url).flushdb()
    log("migrating the bench database…")
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BenchError(f"manage.py migrate failed:\n{result.stdout}{result.stderr}")


# --- Data ---------------------------------------------------------------------------------------


def seed(n: int):
    """A promise with objective N, its initiator and N-1 counted pledges, all in bulk SQL.
    Returns the promise and the user who will make the N-th pledge."""
    import datetime

    from allauth.account.models import EmailAddress
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from promises import services
    from promises.models import Promise

    started = time.monotonic()
    with connection.cursor() as cursor:
        # Everything hangs off users: this empties promises, pledges, broadcasts, deliveries.
        cursor.execute("TRUNCATE accounts_user, promises_theme RESTART IDENTITY CASCADE")
    with transaction.atomic():
        initiator = User.objects.create_user(
            email="initiatrice@bench.onpromet.test", display_name="Initiatrice"
        )
        EmailAddress.objects.create(
            user=initiator, email=initiator.email, verified=True, primary=True
        )
        promise = services.promise_create(
            created_by=initiator,
            action="éteindre la lumière une heure le samedi soir",
            objective=n,
            deadline=timezone.now() + datetime.timedelta(days=30),
            description="Une heure sans lumière, tous ensemble.\n\nRendez-vous samedi à 21 h.",
            city="Lyon",
            themes=[],
            action_date=(timezone.now() + datetime.timedelta(days=40)).date(),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO accounts_user (password, last_login, is_superuser, email,
                    display_name, appears_anonymously, is_staff, is_active, date_joined)
                SELECT '!', NULL, false, 'participant' || g || '@bench.onpromet.test',
                    'Participant ' || g, false, false, true, now()
                FROM generate_series(1, %(n)s) AS g
                """,
                {"n": n},
            )
            cursor.execute(
                """
                INSERT INTO account_emailaddress (user_id, email, verified, "primary")
                SELECT id, email, true, true FROM accounts_user WHERE id <> %(initiator)s
                """,
                {"initiator": initiator.pk},
            )
            # Everyone but the last participant has an active, counted pledge.
            cursor.execute(
                """
                INSERT INTO promises_pledge (promise_id, user_id, is_initiator, status,
                    created_at, activated_at, withdrawn_at, abandoned_at, abandon_reason,
                    joined_late, kept_at)
                SELECT %(promise)s, id, false, 'active', now(), now(), NULL, NULL, '', false, NULL
                FROM accounts_user
                WHERE id <> %(initiator)s
                  AND id < (SELECT max(id) FROM accounts_user)
                """,
                {"promise": promise.pk, "initiator": initiator.pk},
            )
        Promise.objects.filter(pk=promise.pk).update(pledge_count=n - 1)
    with connection.cursor() as cursor:
        # As autovacuum would have done long before a promise gathers 100 000 people.
        cursor.execute("ANALYZE accounts_user, account_emailaddress, promises_pledge")
    last = User.objects.order_by("-pk").first()
    log(f"seeded {n} participants in {time.monotonic() - started:.1f}s")
    return Promise.objects.get(pk=promise.pk), last


def reach_objective(promise, user) -> float:
    """The N-th pledge, through the real service. Returns the wall-clock time of its commit
    (an on_commit callback registered first runs first, before the task is enqueued)."""
    from django.db import transaction

    from promises import services
    from promises.models import Promise

    committed_at = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed_at.append(time.time()))
        services.pledge_create(promise=promise, user=user)
    state = Promise.objects.values_list("state", flat=True).get(pk=promise.pk)
    if state != Promise.State.REACHED:
        raise BenchError(f"the last pledge did not reach the objective (state {state!r})")
    return committed_at[0]


def delivery_figures(promise) -> tuple[dict[str, int], float | None]:
    """Deliveries by status, and how long the expansion took after the broadcast was written."""
    from django.db.models import Count

    from notifications.models import Broadcast, Delivery
    from promises.emails import REACHED

    statuses = dict(
        Delivery.objects.filter(broadcast__promise=promise)
        .values_list("status")
        .annotate(Count("id"))
        .order_by()
    )
    broadcast = Broadcast.objects.filter(promise=promise, kind=REACHED).first()
    expand = None
    if broadcast and broadcast.expanded_at:
        expand = (broadcast.expanded_at - broadcast.created_at).total_seconds()
    return statuses, expand


# --- The worker -------------------------------------------------------------------------------


class Worker(Background):
    label = "worker"

    def __init__(self, *, app: str, concurrency: int, smtp_port: int, log_path: Path):
        super().__init__(log_path)
        self.app = app
        self.concurrency = concurrency
        self.env = {**os.environ, "EMAIL_PORT": str(smtp_port)}
        self.cpu: dict[int, float] = {}  # pid: CPU seconds at the last sample

    def start(self) -> "Worker":
        self.start_logged(
            [sys.executable, "-m", "celery", "-A", self.app, "worker", "--loglevel=warning",
             f"--concurrency={self.concurrency}", "--pool=prefork", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--hostname=bench-email@%h"],
            env=self.env,
        )  # fmt: skip
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the worker answers a control ping (its pool is up by then)."""
        from onpromet.celery import app

        stop_at = time.monotonic() + timeout
        while time.monotonic() < stop_at:
            self.check_alive()
            if app.control.ping(timeout=0.5):
                return
        raise BenchError(f"the worker did not answer within {timeout:.0f} s\n{self.log_tail()}")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise BenchError(
                f"the worker exited with code {self.process.returncode}\n{self.log_tail()}"
            )

    def sample(self) -> tuple[int, int]:
        """Memory now: (main process + pool children, the largest pool child), in bytes. Also
        notes each process's CPU time, for cpu_seconds()."""
        import psutil

        try:
            main = psutil.Process(self.process.pid)
            processes = [main, *main.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0, 0
        total = largest = 0
        for process in processes:
            try:
                with process.oneshot():
                    rss = process.memory_info().rss
                    cpu = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            self.cpu[process.pid] = cpu.user + cpu.system
            total += rss
            if process.pid != main.pid:
                largest = max(largest, rss)
        return total, largest

    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def process_cpu(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def busy_percent(before, after) -> float:
    """Share of the machine's CPU time (all cores) spent not idle between two samples."""
    idle = (after.idle + after.iowait) - (before.idle + before.iowait)
    total = sum(after) - sum(before)
    return 100 * (1 - idle / total) if total else 0.0


# --- Run ----------------------------------------------------------------------------------------


def run(args) -> str:
    configure_environment(args)
    prepare_database_and_redis(args)
    sink = Sink().start()
    worker = None
    workdir = Path(tempfile.mkdtemp(prefix="bench-email-"))
    try:
        import django
        import psutil

        django.setup()
        from django.conf import settings

        promise, last_user = seed(args.n)
        expected = args.n + 1  # every participant and the initiator

        worker = Worker(
            app=args.celery_app,
            concurrency=args.concurrency,
            smtp_port=sink.port.value,
            log_path=workdir / "worker.log",
        ).start()
        worker.wait_ready()
        idle_rss, _ = worker.sample()
        idle_cpu = worker.cpu_seconds()
        log(
            f"worker ready (idle RSS {idle_rss / MB:.0f} MB); reaching the objective, "
            f"waiting for {expected} emails (timeout {args.timeout:.0f} s)…"
        )

        # Other work on the machine distorts the figures: measure it and say so.
        busy_before = psutil.cpu_percent(interval=1)
        if busy_before > 20:
            log(f"warning: the machine is already {busy_before:.0f}% busy; figures will be low")
        sink_cpu_before, machine_before = process_cpu(sink.process.pid), psutil.cpu_times()
        started = reach_objective(promise, last_user)
        peak_total = peak_child = 0
        stop_at = time.monotonic() + args.timeout
        next_report = time.monotonic() + 10
        while sink.messages.value < expected:
            total, child = worker.sample()
            peak_total, peak_child = max(peak_total, total), max(peak_child, child)
            worker.check_alive()
            now = time.monotonic()
            if now > stop_at:
                statuses, _ = delivery_figures(promise)
                raise BenchError(
                    f"timeout: {sink.messages.value}/{expected} emails accepted after "
                    f"{args.timeout:.0f} s (deliveries: {statuses})\n{worker.log_tail()}"
                )
            if now > next_report:
                log(f"{sink.messages.value}/{expected} emails after {time.time() - started:.0f} s")
                next_report = now + 10
            time.sleep(SAMPLE_EVERY)
        elapsed = sink.last_at.value - started
        worker.sample()
        worker_cpu = worker.cpu_seconds() - idle_cpu
        sink_cpu = process_cpu(sink.process.pid) - sink_cpu_before
        machine_busy = busy_percent(machine_before, psutil.cpu_times())
        first = sink.first_at.value - started

        # The last delivery is marked right after its acceptance: give it a moment.
        settle_at = time.monotonic() + 10
        statuses, expand = delivery_figures(promise)
        while statuses.get("pending") and time.monotonic() < settle_at:
            time.sleep(0.1)
            statuses, expand = delivery_figures(promise)
    finally:
        if worker:
            worker.stop()
        sink.stop()

    problems = []
    if sink.messages.value != expected:
        problems.append(f"{sink.messages.value} messages for {expected} recipients")
    if sink.recipients.value != expected:
        problems.append(f"{sink.recipients.value} distinct recipients, {expected} expected")
    if statuses.get("sent") != expected:
        problems.append(f"deliveries {statuses}")
    rate = expected / elapsed if elapsed > 0 else float("inf")
    line = (
        f"bench-email: N={args.n} sent={sink.messages.value} time={elapsed:.1f}s "
        f"rate={rate:.0f}/s worker_peak_rss={peak_total / MB:.0f}MB "
        f"(per child max {peak_child / MB:.0f}MB, idle {idle_rss / MB:.0f}MB) "
        f"smtp_connections={sink.connections.value} "
        f"cpu(worker={worker_cpu:.0f}s={1000 * worker_cpu / expected:.2f}ms/email "
        f"sink={sink_cpu:.0f}s machine_busy={machine_busy:.0f}% before={busy_before:.0f}%) "
        f"batch={settings.OUTBOX_BATCH_SIZE} concurrency={args.concurrency} "
        f"expand={expand if expand is not None else float('nan'):.1f}s first_email={first:.1f}s"
    )
    if problems:
        line += " PROBLEMS: " + "; ".join(problems)
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="participants (default 100000)")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds to wait for the emails (default 600)"
    )
    parser.add_argument(
        "--celery-app",
        default="onpromet",
        help="the worker's Celery app (default onpromet; another module to try a change)",
    )
    parser.add_argument("--batch-size", type=int, default=0, help="OUTBOX_BATCH_SIZE override")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    args = parser.parse_args()
    if not 1 <= args.n <= 1_000_000:
        parser.error("--n must be between 1 and 1000000 (the objective's range)")
    try:
        line = run(args)
    except BenchError as error:
        print(f"bench-email: FAILED — {error}", file=sys.stderr)
        return 1
    print(line, flush=True)
    return 0 if "PROBLEMS" not in line else 1


if __name__ == "__main__":
    sys.exit(main())
