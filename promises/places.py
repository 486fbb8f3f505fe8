"""Places: the French communes a promise takes place in, and "Près de chez moi".

A promise's place is a Commune (manage.py load_communes loads the official list), or none for a
promise "à distance". Distances are computed by Postgres (earthdistance, on cube): the radius
filter is `earth_box(centre, r) @> ll_to_earth(latitude, longitude)`, which the GiST index
commune_earth answers, refined by `earth_distance(…) <= r` (the box is a cube around the
sphere's point, a little larger than the circle). No distance is ever computed in Python, and
the visitor's position is only a parameter of that query: never stored, never in the session.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Lower

from .models import Commune

# The radii a visitor picks from, in km.
RADII_KM = (5, 10, 30, 100)
DEFAULT_RADIUS_KM = 10
# Suggestions as one types, and candidates the form lists when a name is shared.
SUGGESTIONS = 10
CANDIDATES = 12

# What the city of a promise "à distance" says (the form writes it; the cards show it).
REMOTE_CITY = "À distance"
# City texts that mean "no place", in lowercase: the loader leaves them without a commune and
# the admin's "Commune : non reconnue" does not list them (unmatched()).
REMOTE_CITIES = ("à distance", "a distance", "en ligne", "distanciel", "partout", "internet")

_POSTCODE = re.compile(r"\b(\d{5})\b")
# "Paris 11e", "Lyon 3eme", "Marseille 1er", "Paris 11ème arrondissement", "Paris XIe" is rare.
_ARRONDISSEMENT = re.compile(r"\s+\d{1,2}\s*(e|er|eme|ieme)?(\s+arrondissement)?$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalise(text: str) -> str:
    """Lowercase, without accents, punctuation as spaces, "St" as "Saint": how the names of
    the communes are stored for search (Commune.search_name) and how what is typed is
    compared with them. "L'Haÿ-les-Roses" → "l hay les roses"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", letters).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@dataclass(frozen=True)
class Typed:
    """What someone typed for a commune: a normalised name and/or a postcode."""

    name: str
    postcode: str | None


def parse(text: str) -> Typed:
    """What was typed for a commune, as "Biscarrosse (40600)", "40600 Biscarrosse", "40600",
    "Paris 11e" or "Lyon (Croix-Rousse)": the postcode wherever it is; the name without what
    is in parentheses or an arrondissement's number."""
    match = _POSTCODE.search(text)
    postcode = match.group(1) if match else None
    rest = _POSTCODE.sub(" ", text)
    rest = _PARENTHESES.sub(" ", rest)
    name = _ARRONDISSEMENT.sub("", normalise(rest))
    return Typed(name=name, postcode=postcode)


_REMOTE_NAMES = frozenset(normalise(city) for city in REMOTE_CITIES)


def is_remote(text: str) -> bool:
    return normalise(text) in _REMOTE_NAMES


def remote(promises: QuerySet) -> QuerySet:
    """Promises "à distance": no commune, and a city text that says so."""
    return (
        promises.filter(commune__isnull=True)
        .alias(city_lower=Lower("city"))
        .filter(city_lower__in=REMOTE_CITIES)
    )


def unmatched(promises: QuerySet) -> QuerySet:
    """Promises with a place in their city text that no commune matched: for moderators
    (admin filter "Commune : non reconnue") and the loader's summary."""
    return (
        promises.filter(commune__isnull=True)
        .alias(city_lower=Lower("city"))
        .exclude(city_lower__in=REMOTE_CITIES)
    )


def _matching(typed: Typed) -> QuerySet:
    """Communes whose name starts with the typed name (and that have the postcode, if one was
    typed), names exactly typed first, then the most populous. Indexes commune_search_name
    (prefix) and commune_postcodes."""
    communes = Commune.objects.all()
    if typed.postcode:
        communes = communes.filter(postcodes__contains=[typed.postcode])
    if typed.name:
        communes = communes.filter(search_name__startswith=typed.name)
    exact = ExpressionWrapper(Q(search_name=typed.name), output_field=BooleanField())
    return communes.annotate(exact=exact).order_by("-exact", "-population", "name")


def suggestions(text: str) -> list[Commune]:
    """What the commune field suggests as one types (one query; nothing for less than two
    letters or a partial postcode)."""
    typed = parse(text[:100])
    if len(typed.name) < 2 and not typed.postcode:
        return []
    return list(_matching(typed)[:SUGGESTIONS])


def candidates(text: str) -> list[Commune]:
    """The communes the form's text may mean (one query): those named exactly so when there
    are some (every "Saint-Denis", the most populous first), else those whose name starts so.
    One candidate: it is chosen; several: the visitor picks; none: the form says so."""
    typed = parse(text[:100])
    if not typed.name and not typed.postcode:
        return []
    found = list(_matching(typed)[:CANDIDATES])
    if typed.name and found and found[0].exact:
        return [commune for commune in found if commune.exact]
    return found


def communes_loaded() -> bool:
    """Whether load_communes has run. Before (a fresh database, most tests), the form keeps the
    city as typed, as it always did; the loader matches it to a commune when it runs."""
    return Commune.objects.exists()


# --- The loader's matching of old city texts ------------------------------------------------


class CityIndex:
    """Every commune by normalised name and by postcode, built once for the loader to match
    thousands of city texts without a query each. Homonyms: the most populous."""

    def __init__(self, rows: Iterable[tuple[int, str, list[str], int]]) -> None:
        self.by_name: dict[str, tuple[int, int]] = {}
        self.by_postcode: dict[str, list[tuple[int, str, int]]] = {}
        for pk, search_name, postcodes, population in rows:
            best = self.by_name.get(search_name)
            if best is None or population > best[1]:
                self.by_name[search_name] = (pk, population)
            for postcode in postcodes:
                self.by_postcode.setdefault(postcode, []).append((pk, search_name, population))

    def match(self, city: str) -> int | None:
        """The commune a city text names, or None. With a postcode: the commune of that
        postcode with that name, or the most populous of the postcode when no name is given."""
        typed = parse(city)
        if typed.postcode:
            here = self.by_postcode.get(typed.postcode, [])
            named = [row for row in here if row[1] == typed.name]
            if named or not typed.name:
                pool = named or here
                return max(pool, key=lambda row: row[2])[0] if pool else None
        found = self.by_name.get(typed.name)
        return found[0] if found else None


# --- Près de chez moi -----------------------------------------------------------------------


def _earth(latitude, longitude) -> Func:
    return Func(latitude, longitude, function="ll_to_earth")


class _Contains(Func):
    """`a @> b` (a cube contains a point), as a boolean filter."""

    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def near(promises: QuerySet, *, latitude: float, longitude: float, km: int) -> QuerySet:
    """Promises whose commune is within `km` of the point, with `distance` (metres), closest
    first. Promises without a place (or a commune without a centre) are left out: ll_to_earth
    of NULL is NULL, which no box contains."""
    radius = Value(km * 1000.0, output_field=FloatField())
    here = _earth(Value(float(latitude)), Value(float(longitude)))
    box = Func(here, radius, function="earth_box")
    # The communes in the box, through the index commune_earth (its very expression): a
    # subquery, so that the index answers it however few promises there are.
    inside = Commune.objects.filter(_Contains(box, _earth(F("latitude"), F("longitude")))).values(
        "pk"
    )
    there = _earth(F("commune__latitude"), F("commune__longitude"))
    distance = Func(here, there, function="earth_distance", output_field=FloatField())
    return (
        promises.filter(commune__in=inside)
        .annotate(distance=distance)
        .filter(distance__lte=radius)
        .order_by("distance", "-created_at")
    )


def distance_label(metres: float | None) -> str:
    """What a card says of a promise found near a place: "à 3 km", "à moins d'1 km" (with
    no-break spaces)."""
    if metres is None:
        return ""
    # A no-break space: "3" and "km" never on two lines.
    if metres < 1000:
        return "à moins d'1\u00a0km"
    return f"à {round(metres / 1000)}\u00a0km"
