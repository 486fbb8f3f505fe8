"""Fixtures for every app's tests: a real SMTP server on 127.0.0.1 (aiosmtpd) and real
Celery worker processes. Loaded by the root conftest (pytest_plugins)."""

import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from conftest import TEST_REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    """Accepts every message, except for the addresses told to answer with an error code."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.connections = 0
        self.replies: dict[str, str] = {}
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> Counter:
        with self._lock:
            return Counter(str(m["To"]) for m in self.messages)

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        stop = time.monotonic() + timeout
        while time.monotonic() < stop:
            if len(self.messages) >= count:
                return True
            time.sleep(0.05)
        return False


@pytest.fixture
def smtp(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = SMTPSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    sink.port = port
    yield sink
    controller.stop()


class Worker:
    """A real `celery worker` process on the test database, the test Redis and the sink."""

    def __init__(self, smtp: SMTPSink, **env):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": TEST_REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "DJANGO_ALLOW_ASYNC_UNSAFE": "",
            **{key: str(value) for key, value in env.items()},
        }
        self.process = None

    def start(self, concurrency: int = 1) -> "Worker":
        self.process = subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
            [sys.executable, "-m", "celery", "-A", "onpromet", "worker", "--loglevel=warning",
             f"--concurrency={concurrency}", "--pool=prefork", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # its own process group: kill the pool children too
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no chance to tidy up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process_group(self.process)


def stop_process_group(process: subprocess.Popen | None) -> None:
    """SIGTERM a process started with start_new_session=True and its children; SIGKILL them
    if they are not gone within 15 s."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def worker_factory(smtp):
    workers = []

    def make(**env) -> Worker:
        worker = Worker(smtp, **env)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
