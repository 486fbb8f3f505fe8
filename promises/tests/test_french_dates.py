"""Pages write the first of a month "1er" (mardi 1er décembre 2026), with one filter
({% load french %}, `french_date`), and give the sentence its French no-break spaces."""

import datetime

import time_machine
from django.utils import timezone

from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text

NBSP = "\u00a0"


def paris(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_it_writes_1er_for_dates_on_the_first_of_the_month(client, initiator):
    with time_machine.travel(paris(2026, 11, 1, 10), tick=False):  # a Sunday, the 1st
        promise = PromiseFactory(created_by=initiator, objective=1, deadline=paris(2026, 12, 1, 23))
    with time_machine.travel(paris(2026, 11, 2, 10), tick=False):
        text = page_text(client.get(promise.get_absolute_url()))

    assert "Démarrée par Arthur le dimanche 1er novembre 2026" in text
    assert "mardi 1er décembre 2026" in text  # the deadline
    assert " 1 décembre" not in text and " 1 novembre" not in text


def test_it_writes_1er_for_the_day_the_objective_was_reached(client, initiator):
    with time_machine.travel(paris(2027, 6, 20, 10), tick=False):
        promise = PromiseFactory(created_by=initiator, objective=1, deadline=paris(2027, 7, 20, 23))
    with time_machine.travel(paris(2027, 7, 1, 10), tick=False):
        reach(promise)
        text = page_text(client.get(promise.get_absolute_url()))

    assert "le jeudi 1er juillet 2027" in text  # Objectif atteint
    assert "· 1er juillet" in text  # the participant, counted since


def test_it_gives_the_sentence_its_no_break_spaces(client, initiator):
    promise = PromiseFactory(created_by=initiator, action="lire « Le Petit Prince » : dix pages")

    text = page_text(client.get(promise.get_absolute_url()))

    assert f"lire «{NBSP}Le Petit Prince{NBSP}»{NBSP}: dix pages" in text
    assert "« Le" not in text.split("<h1", 1)[1].split("</h1>", 1)[0]
