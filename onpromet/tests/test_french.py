"""onpromet.french and {% load french %}: how the site writes dates ("1er") and where French
puts its no-break spaces (inside « », before : ; ! ?), in Python and in templates."""

import datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from onpromet.french import elide_de, french_date, french_number, french_spacing, plural

NBSP = "\u00a0"
TUESDAY_FIRST = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("day", "options", "expected"),
    [
        (TUESDAY_FIRST, {}, "mardi 1er décembre 2026"),
        (TUESDAY_FIRST, {"year": False}, "mardi 1er décembre"),
        (TUESDAY_FIRST, {"weekday": False}, "1er décembre 2026"),
        (TUESDAY_FIRST, {"weekday": False, "year": False}, "1er décembre"),
        (datetime.date(2026, 12, 2), {}, "mercredi 2 décembre 2026"),
        (datetime.date(2027, 7, 8), {"year": False}, "jeudi 8 juillet"),
        (datetime.date(2027, 7, 11), {"weekday": False}, "11 juillet 2027"),
        (datetime.date(2027, 2, 21), {"weekday": False, "year": False}, "21 février"),
        (datetime.date(2027, 8, 1), {"weekday": False, "year": False}, "1er août"),
        (datetime.date(2027, 7, 7), {"weekday": False, "month": False, "year": False}, "7"),
        (datetime.date(2027, 7, 1), {"weekday": False, "month": False, "year": False}, "1er"),
        (datetime.date(2027, 7, 1), {"weekday": False, "short_month": True}, "1er juil. 2027"),
        (datetime.date(2027, 6, 9), {"weekday": False, "short_month": True}, "9 juin 2027"),
        (datetime.date(2027, 2, 9), {"day": False, "short_month": True}, "févr. 2027"),
    ],
)
def test_it_writes_a_date_as_french_does(day, options, expected):
    assert french_date(day, **options) == expected


def test_it_names_every_month_and_every_day_of_the_week():
    months = [
        french_date(datetime.date(2027, m, 3), weekday=False, year=False) for m in range(1, 13)
    ]
    assert [m.split()[1] for m in months] == [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]  # fmt: skip
    week = [french_date(datetime.date(2027, 7, 5 + d), year=False).split()[0] for d in range(7)]
    assert week == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def test_it_reads_an_aware_datetime_in_paris_time():
    # 23:30 in UTC on 30 November is 00:30 on 1 December in Paris.
    moment = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)

    assert french_date(moment) == "mardi 1er décembre 2026"
    assert french_date(moment, weekday=False, time=True) == "1er décembre 2026 à 00:30"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1500, "1\u202f500"),
        (1_000_000, "1\u202f000\u202f000"),
        (1.5, "1,5"),
        (2.0, "2"),
        (0.4, "0,4"),
    ],
)
def test_it_writes_numbers_with_narrow_spaces_and_a_decimal_comma(number, expected):
    assert french_number(number) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("aller nettoyer la plage", "d'aller nettoyer la plage"),
        ("éteindre mes écrans le soir", "d'éteindre mes écrans le soir"),
        ("utiliser le vélo", "d'utiliser le vélo"),
        ("habiter autrement", "d'habiter autrement"),
        ("héberger un réfugié", "d'héberger un réfugié"),
        ("hisser le drapeau", "de hisser le drapeau"),
        ("Hurler au loup", "de Hurler au loup"),
        ("planter un arbre", "de planter un arbre"),
        ("y aller à vélo", "d'y aller à vélo"),
        ("yoga au parc chaque matin", "de yoga au parc chaque matin"),
        ("avril", "d'avril"),
        ("août", "d'août"),
        ("décembre", "de décembre"),
    ],
)
def test_it_elides_de_before_a_vowel_or_a_mute_h(words, expected):
    assert elide_de(words) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("« x »", f"«{NBSP}x{NBSP}»"),
        ("«x»", f"«{NBSP}x{NBSP}»"),
        ("«   x  »", f"«{NBSP}x{NBSP}»"),
        ("a : b", f"a{NBSP}: b"),
        ("a  : b", f"a{NBSP}: b"),
        (
            "Bienvenue ! Prêts ? Allons-y ; merci",
            f"Bienvenue{NBSP}! Prêts{NBSP}? Allons-y{NBSP}; merci",
        ),
        ("déjà\u202f: fin", f"déjà{NBSP}: fin"),
        ("vu à 10:30, ici: là", "vu à 10:30, ici: là"),
        (
            "https://onpromet.fr/promesses/?q=plage&page=2",
            "https://onpromet.fr/promesses/?q=plage&page=2",
        ),
        ("Lien : https://x.fr/a?b=1", f"Lien{NBSP}: https://x.fr/a?b=1"),
        ("67 % des participants", f"67{NBSP}% des participants"),
        ("https://x.fr/a%20b", "https://x.fr/a%20b"),
        ("ligne\n: suite", "ligne\n: suite"),
        ("fin\n» suite", "fin\n» suite"),
        ("", ""),
    ],
)
def test_it_puts_no_break_spaces_where_french_wants_them(typed, expected):
    assert french_spacing(typed) == expected


@pytest.mark.parametrize("typed", ["« x » : y !", "«x»:y", "a  ; b  ?", "«\u00a0x\u202f»"])
def test_it_spaces_once_and_for_all(typed):
    once = french_spacing(typed)

    assert french_spacing(once) == once
    assert "  " not in once and f"{NBSP}{NBSP}" not in once and f"{NBSP} " not in once


def test_it_is_safe_on_escaped_html():
    escaped = "&lt;b&gt;Bravo&lt;/b&gt; ! L&#x27;été : « &amp; »"

    assert french_spacing(escaped) == (
        f"&lt;b&gt;Bravo&lt;/b&gt;{NBSP}! L&#x27;été{NBSP}: «{NBSP}&amp;{NBSP}»"
    )


def render(source: str, **context) -> str:
    return Template("{% load french %}" + source).render(Context(context))


def test_the_date_filter_writes_the_first_of_the_month_1er():
    day = TUESDAY_FIRST
    assert render("{{ d|french_date }}", d=day) == "mardi 1er décembre 2026"
    assert render('{{ d|french_date:"l j F Y" }}', d=day) == "mardi 1er décembre 2026"
    assert render('{{ d|french_date:"j F Y" }}', d=day) == "1er décembre 2026"
    assert render('{{ d|french_date:"l j F" }}', d=day) == "mardi 1er décembre"
    assert render('{{ d|french_date:"j F" }}', d=day) == "1er décembre"
    assert render("{{ d|french_date }}", d=None) == ""


def test_the_date_filter_shows_datetimes_in_the_site_time_zone():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 14, 5))

    assert render('{{ m|french_date:"j F Y à H:i" }}', m=moment) == "1er décembre 2026 à 14:05"
    assert render("{{ m|french_date }}", m=moment.astimezone(datetime.UTC)) == (
        "mardi 1er décembre 2026"
    )


def test_the_date_filter_refuses_a_format_it_does_not_know():
    with pytest.raises(TemplateSyntaxError, match="unknown format 'd/m/Y'"):
        render('{{ d|french_date:"d/m/Y" }}', d=TUESDAY_FIRST)


def test_the_nbsp_filter_spaces_text_and_still_escapes_it():
    assert render("{{ t|nbsp }}", t="<b>Oui</b> : « ok »") == (
        f"&lt;b&gt;Oui&lt;/b&gt;{NBSP}: «{NBSP}ok{NBSP}»"
    )


def test_the_nbsp_block_spaces_the_template_words_and_leaves_what_people_typed():
    source = (
        "{% nbsp %}Date limite : {{ when }}{% if typed %} « {{ typed }} »{% endif %}"
        "{% for word in words %} {{ word }} !{% endfor %}{% endnbsp %}"
    )

    rendered = render(source, when="demain", typed="Allez : venez !", words=["un"])

    assert rendered == f"Date limite{NBSP}: demain «{NBSP}Allez : venez !{NBSP}» un{NBSP}!"


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "personne"), (1, "personne"), (2, "personnes"), (3, "personnes"), (1000, "personnes")],
)
def test_it_agrees_in_number_as_french_does_singular_for_0_and_1(number, expected):
    assert plural(number, "personne", "personnes") == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0 personne a participé"),
        (1, "1 personne a participé"),
        (2, "2 personnes ont participé"),
    ],
)
def test_the_plural_filter_agrees_the_words_of_a_template_with_a_number(number, expected):
    source = '{{ n }} {{ n|plural:"personne,personnes" }} {{ n|plural:"a,ont" }} participé'

    assert render(source, n=number) == expected


def test_the_plural_filter_takes_forms_with_spaces():
    source = '{{ n|plural:"dit avoir tenu sa,disent avoir tenu leur" }} promesse'

    assert render(source, n=0) == "dit avoir tenu sa promesse"
    assert render(source, n=2) == "disent avoir tenu leur promesse"


@pytest.mark.parametrize("forms", ["personne", "a,ont,avaient", ""])
def test_the_plural_filter_refuses_anything_but_two_forms(forms):
    with pytest.raises(TemplateSyntaxError, match="singular,plural"):
        render(f'{{{{ n|plural:"{forms}" }}}}', n=2)
