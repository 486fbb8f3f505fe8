"""French wording of a promise: elision and agreement, in one place."""

import re
import unicodedata

from onpromet.french import french_date, french_spacing

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


def elide_de(action: str) -> str:
    """aller nettoyer → d'aller nettoyer; planter → de planter."""
    if action and _starts_with_vowel_sound(action):
        return f"d'{action}"
    return f"de {action}"


def normalise_action(text: str) -> str:
    """What follows "Je promets de": one line, no leading "de"/"d'", no final full stop."""
    text = " ".join(text.split())
    text = re.sub(r"^(je\s+promets\s+)?(de\s+|d['’]\s*)", "", text, flags=re.IGNORECASE)
    text = text.rstrip(" .,;")
    return text


def format_count(number: int) -> str:
    """1000000 → '1 000 000' with narrow no-break spaces, as French typography wants."""
    return f"{number:,}".replace(",", "\u202f")


def condition(objective: int) -> str:
    """'si 1 personne le promet aussi' / 'si 50 personnes le promettent aussi'."""
    if objective == 1:
        return "si 1 personne le promet aussi"
    return f"si {format_count(objective)} personnes le promettent aussi"


def sentence(action: str, objective: int) -> str:
    """The promise as everyone reads it, pages and emails alike: with French no-break spaces
    in what the initiator typed (« », : ; ! ?), so that no line of it ends on a «."""
    return french_spacing(f"Je promets {elide_de(action)}, {condition(objective)}.")


def people_count(number: int) -> str:
    """'1 personne', '12 personnes'."""
    return f"{format_count(number)} personne{'s' if number > 1 else ''}"


def action_period(start, end=None, schedule: str = "") -> str:
    """When the action happens, in French: 'le samedi 8 juillet 2027', 'du 7 janvier au
    30 juin 2027, tous les mardis', 'à partir du 7 janvier 2027, tous les mardis'."""
    if start is None:
        return ""
    schedule = " ".join(schedule.split())
    if end is None and schedule:
        when = f"à partir du {french_date(start, weekday=False)}"
    elif end is None or end <= start:
        when = f"le {french_date(start)}"
    else:
        same_year = start.year == end.year
        same_month = same_year and start.month == end.month
        first = french_date(start, weekday=False, month=not same_month, year=not same_year)
        when = f"du {first} au {french_date(end, weekday=False)}"
    return f"{when}, {schedule}" if schedule else when


def kept_count(number: int) -> str:
    """'1 personne a tenu sa promesse' / '12 personnes ont tenu leur promesse'."""
    if number == 1:
        return "1 personne a tenu sa promesse"
    return f"{format_count(number)} personnes ont tenu leur promesse"
