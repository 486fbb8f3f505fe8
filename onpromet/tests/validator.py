"""The Nu HTML Checker (vnu.jar, installed from npm), run on many pages at once: starting Java
takes a second or two, so pages are written to a folder and checked in one run."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors we accept, each with its reason. htmx reads its own `hx-*` attributes, which are
# not in the HTML standard (`data-hx-*` would be, but htmx documents `hx-*`). `hx-on:*` stays
# an error: the CSP forbids the eval it needs (see test_gate_headers.py).
ALLOWED = [
    re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element"),
]


@dataclass(frozen=True)
class Problem:
    url: str
    line: int
    message: str

    def __str__(self):
        return f"{self.url}:{self.line}: {self.message}"


def java_or_skip() -> str:
    """The java executable; a missing Java skips the gate locally but fails it in CI."""
    java = shutil.which("java")
    if java is None:
        reason = "Java is missing for the HTML validator: `make java` installs it"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(reason)
        pytest.skip(reason)
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (or `make install`)")
    return java


def validate(pages: dict[str, str]) -> list[Problem]:
    """The errors the Nu HTML Checker finds in these pages (url → HTML), allowed ones left out."""
    java = java_or_skip()
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        files = {}
        for number, (url, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{number:04}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = url
        options = ["--errors-only", "--format", "json", "--stdout", "--exit-zero-always"]
        result = subprocess.run(  # noqa: S603 (java and our own jar, fixed arguments)
            [java, "-jar", str(VNU_JAR), *options, *(str(Path(folder) / name) for name in files)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the HTML validator did not answer in JSON:\n{result.stdout}\n{result.stderr}")
    problems = []
    for message in messages:
        # "non-document-error": the checker could not read a page, which must fail too.
        if message.get("type") not in ("error", "non-document-error"):
            continue
        text = message.get("message", "")
        if any(pattern.search(text) for pattern in ALLOWED):
            continue
        name = message.get("url", "?").rsplit("/", 1)[-1]
        problems.append(Problem(files.get(name, name), message.get("lastLine", 0), text))
    return problems
