"""Querysets turned into SQL once per process, for the few lookups that run on every request.

Django builds a queryset's SQL anew at each evaluation: about 0.4 ms of Python for a filtered
lookup, more than Postgres takes to answer it from an index. The keys of the cached pages
(promises/caching.py) are read on every request, so they are written as ordinary querysets,
where the rules live (`Promise.objects.visible_to()`), compiled once with placeholders, and then
run with each request's values.

    versions = Compiled(lambda slug: Promise.objects.filter(slug=slug).values_list("version"))
    versions.rows("une-promesse")  # [(3,)]

`build` receives one placeholder per value; each must reach the SQL as a parameter (an exact
lookup does, a `__contains` does not: its value is rewritten), which compiling checks.
"""

import itertools
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

_numbers = itertools.count(-(2**62))


def _placeholder(value):
    """A value of the same type as `value` that no real value can equal."""
    if isinstance(value, bool):
        raise TypeError("booleans make different queries, not parameters: build one per value")
    if isinstance(value, int):
        return next(_numbers)
    if isinstance(value, str):
        return f"\x00placeholder-{next(_numbers)}"
    raise TypeError(f"no placeholder for {type(value).__name__}")


class Compiled:
    """A values_list() queryset, compiled on first use, run with new values each time."""

    def __init__(self, build: Callable[..., QuerySet], using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: tuple[str, list, list[int | None]] | None = None

    def _compile(self, values: tuple) -> tuple[str, list, list[int | None]]:
        placeholders = [_placeholder(value) for value in values]
        sql, params = self.build(*placeholders).query.sql_with_params()
        # For each parameter: which value goes there (None: a constant of the query itself).
        slots = [
            next((i for i, p in enumerate(placeholders) if p == param), None) for param in params
        ]
        missing = set(range(len(values))) - set(slots)
        if missing:
            raise ValueError(f"values {sorted(missing)} do not reach the SQL as parameters")
        return sql, list(params), slots

    def rows(self, *values, limit: int | None = None, offset: int = 0) -> list[tuple]:
        """The rows for these values; `limit` and `offset` page them (as parameters: a sliced
        queryset would write them into the SQL)."""
        if self._compiled is None:
            self._compiled = self._compile(values)
        sql, params, slots = self._compiled
        bound = [
            param if slot is None else values[slot]
            for param, slot in zip(params, slots, strict=True)
        ]
        if limit is not None:
            sql, bound = f"{sql} LIMIT %s OFFSET %s", [*bound, limit, offset]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, bound)
            return cursor.fetchall()
