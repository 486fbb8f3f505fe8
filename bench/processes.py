"""What both benchmarks share: their one error, and the server processes they start (a Celery
worker, gunicorn), each in a process group of its own with its output in a log file, stopped
whatever happens."""

import os
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """The benchmark could not run to the end; the message says why."""


class Background:
    """A process of the benchmark's own. Subclasses start it with start_logged()."""

    label = "process"

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.log_file = None

    def start_logged(self, command: list[str], env: dict | None = None) -> None:
        """Run `command` from the project's root (with `env`, else this process's)."""
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own servers, fixed arguments)
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches its children
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- {self.label} log ({self.log_path}) ---\n{tail}" if tail else ""

    def stop(self) -> None:
        """SIGTERM to the group (a warm shutdown: work in hand finishes), SIGKILL after 20 s."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.log_file:
            self.log_file.close()
