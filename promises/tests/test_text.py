import pytest

from promises import text


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("aller nettoyer la plage", "d'aller nettoyer la plage"),
        ("éteindre mes écrans le soir", "d'éteindre mes écrans le soir"),
        ("utiliser le vélo", "d'utiliser le vélo"),
        ("habiter autrement", "d'habiter autrement"),
        ("héberger un réfugié", "d'héberger un réfugié"),
        ("hisser le drapeau", "de hisser le drapeau"),
        ("planter un arbre", "de planter un arbre"),
        ("y aller à vélo", "d'y aller à vélo"),
        ("yoga au parc chaque matin", "de yoga au parc chaque matin"),
    ],
)
def test_it_elides_de_before_a_vowel_or_a_mute_h(action, expected):
    assert text.elide_de(action) == expected


def test_it_agrees_in_number():
    assert text.condition(1) == "si 1 personne le promet aussi"
    assert text.condition(2) == "si 2 personnes le promettent aussi"
    assert text.condition(1_000_000) == "si 1\u202f000\u202f000 personnes le promettent aussi"


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
