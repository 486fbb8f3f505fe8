"""Gunicorn's settings for production: `.venv/bin/gunicorn onpromet.wsgi` reads this file.

Each setting can still be overridden on the command line (`--workers 8`) or through
GUNICORN_CMD_ARGS; WEB_CONCURRENCY sets the number of workers, as on most hosts."""

import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = 30
# Keep-alive connections from the load balancer are reused for a few seconds.
keepalive = 5
# The reverse proxy logs requests; gunicorn logs errors only.
accesslog = None
errorlog = "-"
# No runtime control socket: nothing here manages gunicorn through it, and its default path is
# shared by every gunicorn of the same user on the host.
control_socket_disable = True
# Headers and the request line stay small: nothing on this site needs more.
limit_request_line = 8190
limit_request_fields = 100


# No "Server: gunicorn" banner: it tells an attacker which server and version to aim at.
# Gunicorn has no setting for it, so its default headers are filtered here, once per process.
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
