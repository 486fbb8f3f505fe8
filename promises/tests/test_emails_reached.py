""" "Objectif atteint": every recipient reads the truth, "Vous êtes 4 à avoir promis, la
personne qui a lancé la promesse et 3 autres. L'objectif de 3 personnes est atteint" (the
initiators are among those who promised; the objective counts the others), then when the
action happens, "1er" on the first of a month, with a calendar link if it has a date."""

import datetime
import re

import pytest

from accounts.tests.factories import UserFactory
from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import REACHED
from promises.models import Promise
from promises.tests.factories import PromiseFactory, reach
from promises.tests.test_emails_send import _body

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://onpromet.example"


def reached_emails(smtp, promise) -> list[tuple[str, str]]:
    before = len(smtp.messages)  # an invitation may have left before
    send_broadcast(Broadcast.objects.get(kind=REACHED, promise=promise).pk)
    return [(_body(m, "plain"), _body(m, "html")) for m in smtp.messages[before:]]


def test_it_tells_everyone_how_many_promised_and_the_objective(smtp, promise):
    reach(promise)  # Arthur, who launched it, and 3 others: the objective

    emails = reached_emails(smtp, promise)

    assert len(emails) == 4
    for text, html in emails:
        assert (
            "C'est gagné : vous êtes 4 à avoir promis, la personne qui a lancé la promesse et "
            "3 autres. L'objectif de 3 personnes est atteint : c'est le moment d'agir !"
        ).replace(" :", f"{NBSP}:").replace(" !", f"{NBSP}!") in text
        assert (
            "vous êtes <strong>4</strong> à avoir promis, la personne qui a lancé la promesse "
            "et 3 autres. L'objectif de 3 personnes est atteint"
        ) in html
        assert "promis avec vous" not in text + html


def test_it_counts_every_initiator_and_agrees_in_number(smtp, initiator):
    promise = PromiseFactory(created_by=initiator, objective=1)
    invitation = services.invitation_create(
        promise=promise, invited_by=initiator, email="co@example.org"
    )
    services.invitation_accept(invitation=invitation, user=UserFactory(email="co@example.org"))
    reach(promise)

    text, html = reached_emails(smtp, promise)[0]

    expected = (
        "vous êtes 3 à avoir promis, les 2 personnes qui l'ont lancée et 1 autre. "
        "L'objectif de 1 personne est atteint"
    )
    assert expected in text
    assert expected.replace("3", "<strong>3</strong>", 1) in html


def test_it_counts_those_of_the_objective_not_those_who_came_after(smtp, promise):
    people = reach(promise, extra=1)  # the 4th joins on the way: welcomed apart
    services.pledge_abandon(promise=promise, user=people[0])  # was there when it was reached

    text, _ = reached_emails(smtp, promise)[0]

    assert "vous êtes 4 à avoir promis, la personne qui a lancé la promesse et 3 autres." in text


def test_it_gives_the_date_of_the_action_and_its_calendar_link(smtp, promise):
    Promise.objects.filter(pk=promise.pk).update(action_date=datetime.date(2027, 12, 1))
    reach(promise)

    text, html = reached_emails(smtp, promise)[0]

    agenda = f"https://onpromet.example/promesses/{promise.slug}/agenda.ics"
    assert f"L'action{NBSP}: le mercredi 1er décembre 2027" in text
    assert f"Ajouter à mon agenda{NBSP}: {agenda}" in text
    assert f"<strong>L'action{NBSP}:</strong> le mercredi 1er décembre 2027" in html
    assert f'<a href="{agenda}"' in html and "Ajouter à mon agenda</a>" in html


def test_it_has_no_calendar_link_without_a_date(smtp, promise):
    reach(promise)

    text, html = reached_emails(smtp, promise)[0]

    assert "agenda" not in text + html
    assert "L'action" not in text + html


def test_it_spaces_its_own_words_and_leaves_the_initiators_words_as_typed(smtp, initiator):
    promise = PromiseFactory(
        created_by=initiator, objective=1, description="Prévoir des gants : merci !"
    )
    reach(promise)

    text, html = reached_emails(smtp, promise)[0]

    assert "Et maintenant\u00a0?" in text and "Et maintenant\u00a0?" in html
    assert f"avec «{NBSP}Abandonner{NBSP}»{NBSP}:" in text
    assert "Prévoir des gants : merci !" in text and "Prévoir des gants : merci !" in html
    # Never inside a tag: the styles of the email are left as they are.
    assert not re.search(f"<[^>]*{NBSP}[^>]*>", html)
