"""Settings of the web benchmark: production's, plus the ceiling page (bench.urls).

Only `python -m bench.bench_web` uses them (DJANGO_SETTINGS_MODULE=bench.settings, for its
gunicorn and its own process): the site's URLs never include the ceiling."""

from onpromet.settings import *  # noqa: F403
from onpromet.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

# The ceiling's template lives with the benchmark, not with the site's.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
