"""The wording of a promise: its sentence, its condition, when its action happens, how many
kept it. Built on onpromet.french, which holds the rules of French (elision, agreement, numbers,
dates)."""

import re

from onpromet.french import elide_de, french_date, french_number, french_spacing, plural


def normalise_action(text: str) -> str:
    """What follows "Je promets de": one line, no leading "de"/"d'", no final full stop."""
    text = " ".join(text.split())
    text = re.sub(r"^(je\s+promets\s+)?(de\s+|d['’]\s*)", "", text, flags=re.IGNORECASE)
    text = text.rstrip(" .,;")
    return text


def condition(objective: int | None) -> str:
    """'si 1 personne le promet aussi' / 'si 50 personnes le promettent aussi'; None, an
    objective not chosen yet (the form's preview), is 'si X personnes le promettent aussi'."""
    if objective is None:
        return "si X personnes le promettent aussi"
    people = plural(objective, "personne le promet", "personnes le promettent")
    return f"si {french_number(objective)} {people} aussi"


def sentence(action: str, objective: int | None) -> str:
    """The promise as everyone reads it, pages and emails alike (and the form's preview): with
    French no-break spaces in what the initiator typed (« », : ; ! ?), so that no line of it
    ends on a «."""
    return french_spacing(f"Je promets {elide_de(action)}, {condition(objective)}.")


def people_count(number: int) -> str:
    """'1 personne', '12 personnes'."""
    return f"{french_number(number)} {plural(number, 'personne', 'personnes')}"


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
    kept = plural(number, "personne a tenu sa promesse", "personnes ont tenu leur promesse")
    return f"{french_number(number)} {kept}"
