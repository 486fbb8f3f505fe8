"""French wording and typography for the text the site writes, on pages and in emails, in one
place: dates ("mardi 1er décembre 2026"), numbers ("1 500" with a narrow no-break space,
"1,5"), the elision of "de" ("d'aller", "de hisser": the h aspiré), and the non-breaking spaces
French puts inside « » and before : ; ! ?.

Shared by every app (their templates load it as `{% load french %}`): it is plain text, with
no model, so it lives at the bottom of the dependency chain.

The names of days and months are written here rather than taken from Django's translations:
this module says how French writes a date, whatever language a process has activated (a
Celery worker renders emails outside any request).
"""

import datetime
import re
import unicodedata

from django.utils import timezone

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # between the thousands of a number

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
# The abbreviations of the Imprimerie nationale's Lexique (short months drop their last
# letters after a consonant; mars, mai, juin and août are never shortened).
SHORT_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def french_date(
    value: datetime.date,
    *,
    weekday: bool = True,
    day: bool = True,
    month: bool = True,
    short_month: bool = False,
    year: bool = True,
    time: bool = False,
) -> str:
    """The one way the site writes a date: 'mardi 1er décembre 2026' (the first of a month is
    "1er", every other day a plain number). Each part can be left out: 'mardi 1er décembre'
    (year=False), '8 juillet 2027' (weekday=False), 'du 7 au 30 juin' (the 7 without month
    nor year), 'juil. 2027' (day=False, short_month=True); time=True adds 'à 14:05'. An aware
    datetime is read in the site's time zone (Europe/Paris)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    parts = []
    if weekday and day:
        parts.append(WEEKDAYS[value.weekday()])
    if day:
        parts.append("1er" if value.day == 1 else str(value.day))
    if month:
        parts.append((SHORT_MONTHS if short_month else MONTHS)[value.month - 1])
    if year:
        parts.append(str(value.year))
    if time and isinstance(value, datetime.datetime):
        parts.append(f"à {value:%H:%M}")
    return " ".join(parts)


def french_number(value: float) -> str:
    """How French writes a number: thousands apart by a narrow no-break space, a decimal comma.
    1000000 → '1 000 000', 1.5 → '1,5', 2.0 → '2'."""
    if isinstance(value, float):
        written = f"{value:,g}" if value < 1e6 else f"{round(value):,}"
    else:
        written = f"{value:,}"
    return written.translate({ord(","): NARROW_NBSP, ord("."): ","})


# Words starting with an "h aspiré" take no elision ("de haïr", not "d'haïr").
_H_ASPIRE_PREFIXES = (
    "hach", "haï", "hair", "hal", "ham", "hand", "hant", "happ", "harass", "harc", "hard",
    "harn", "hasard", "hât", "hat", "hauss", "haut", "hennir", "hériss", "heurt", "hiss",
    "hocher", "honn", "hont", "hors", "houspill", "hurl", "hutt",
)  # fmt: skip


def _starts_with_vowel_sound(word: str) -> bool:
    lowered = word.lower()
    plain = unicodedata.normalize("NFD", lowered)
    base = plain[:1]
    if base == "y":
        # "d'y aller", but "de yoga": a y before a vowel is a consonant.
        return plain[1:2] not in tuple("aeiou")
    if base in "aeiou":
        return True
    if base == "h":
        return not lowered.startswith(_H_ASPIRE_PREFIXES)
    return False


def elide_de(words: str) -> str:
    """ "de" before the words, elided before a vowel sound: 'aller nettoyer' → "d'aller
    nettoyer", 'avril' → "d'avril", 'héberger' → "d'héberger"; 'planter' → 'de planter',
    'hisser' → 'de hisser' (an h aspiré)."""
    if words and _starts_with_vowel_sound(words):
        return f"d'{words}"
    return f"de {words}"


# A space of any width that French typography may put there, and only spaces: a line break
# stays a line break.
_SPACES = "[ \u00a0\u202f]"
_AFTER_OPENING = re.compile(f"«{_SPACES}*")
# Not after a line break: a » that starts a line is not glued to the end of the line before.
_BEFORE_CLOSING = re.compile(f"(?<!\n){_SPACES}*»")
# Only a space that is already there: "10:30", "https://" and "?q=" have none, and keep none.
# The percent sign too: "67 %" is one word.
_BEFORE_PUNCTUATION = re.compile(f"{_SPACES}+(?=[:;!?%])")


def french_spacing(text: str) -> str:
    r"""Non-breaking spaces where French wants them, so that a line never ends on « nor starts
    with », :, ;, !, ? or %: «\u00a0x\u00a0», 'a\u00a0: b', 'Bienvenue\u00a0!'. One U+00A0 (no-break
    space) everywhere, even where typographers would put a narrow one (U+202F) before ; ! ?:
    every font and mail client has it, and the thin one falls back to odd glyphs in some.

    Escape-safe: it only turns spaces into no-break spaces (and puts one inside guillemets that
    have none), so it may run on escaped HTML; it never adds a space before : ; ! ? that has
    none (URLs, times, "%20"), and it is idempotent."""
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING.sub(NBSP + "»", text)
    return _BEFORE_PUNCTUATION.sub(NBSP, text)


def plural(number: int, singular: str, plural: str) -> str:
    """The form that agrees with `number`, as French counts: singular for 0 and 1 ("0 personne
    a promis", "1 personne a promis"), plural from 2 on ("2 personnes ont promis"). English,
    and Django's `pluralize`, make 0 plural."""
    return plural if number >= 2 else singular
