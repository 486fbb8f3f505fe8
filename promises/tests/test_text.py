import datetime

import pytest

from promises import text


def test_it_agrees_in_number():
    assert text.condition(1) == "si 1 personne le promet aussi"
    assert text.condition(2) == "si 2 personnes le promettent aussi"
    assert text.condition(1_000_000) == "si 1\u202f000\u202f000 personnes le promettent aussi"


def test_it_writes_x_for_an_objective_not_chosen_yet():
    assert text.sentence("planter un arbre", None) == (
        "Je promets de planter un arbre, si X personnes le promettent aussi."
    )


def test_it_builds_the_whole_sentence():
    assert (
        text.sentence("aller nettoyer la plage de Biscarosse le samedi 8 juillet", 50)
        == "Je promets d'aller nettoyer la plage de Biscarosse le samedi 8 juillet, "
        "si 50 personnes le promettent aussi."
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  de planter   un arbre. ", "planter un arbre"),
        ("d'aller au marché à vélo", "aller au marché à vélo"),
        ("Je promets de composter", "composter"),
        ("d’éteindre la lumière...", "éteindre la lumière"),
    ],
)
def test_it_normalises_what_the_initiator_typed(typed, expected):
    assert text.normalise_action(typed) == expected


NBSP = "\u00a0"


def test_it_spaces_the_sentence_as_french_typography_wants():
    # What the initiator typed gets its no-break spaces too: the sentence is the site's.
    assert text.sentence("lire « Le Petit Prince » : dix pages !", 3) == (
        f"Je promets de lire «{NBSP}Le Petit Prince{NBSP}»{NBSP}: dix pages{NBSP}!, "
        "si 3 personnes le promettent aussi."
    )
    assert NBSP not in text.sentence("planter un arbre", 3)


@pytest.mark.parametrize(
    ("start", "end", "schedule", "expected"),
    [
        (datetime.date(2026, 12, 1), None, "", "le mardi 1er décembre 2026"),
        (datetime.date(2027, 7, 8), None, "", "le jeudi 8 juillet 2027"),
        (datetime.date(2027, 6, 1), datetime.date(2027, 6, 30), "", "du 1er au 30 juin 2027"),
        (
            datetime.date(2026, 12, 1),
            datetime.date(2027, 1, 1),
            "",
            "du 1er décembre 2026 au 1er janvier 2027",
        ),
        (datetime.date(2027, 3, 1), None, "le soir", "à partir du 1er mars 2027, le soir"),
    ],
)
def test_it_says_when_the_action_happens_with_1er_on_the_first(start, end, schedule, expected):
    assert text.action_period(start, end, schedule) == expected


def test_it_counts_people():
    assert [text.people_count(n) for n in (0, 1, 2, 1500)] == [
        "0 personne",
        "1 personne",
        "2 personnes",
        "1\u202f500 personnes",
    ]
