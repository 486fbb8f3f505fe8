"""The bilan's emails, sent for real to the SMTP sink: the recap to every participant
(abandoners included, initiators not), and the reminder to the initiators."""

import time_machine

from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from promises import services
from promises.emails import RECAP, RECAP_REMINDER
from promises.tests import scenarios


def _body(message, subtype):
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset())
    raise AssertionError(f"no text/{subtype} part")


def test_it_sends_the_recap_to_every_participant_abandoners_included(smtp, initiator):
    story = scenarios.build(initiator)
    services.recap_save(promise=story.promise, author=initiator, text="Merci à tous !")
    services.recap_publish(promise=story.promise)

    totals = send_broadcast(Broadcast.objects.get(kind=RECAP).pk)

    # Bruno and Emma abandoned: they get it too. Not Wassim (withdrawn before the objective),
    # nor Ugo (never confirmed), nor Arthur (the initiator, who wrote it).
    names = ("alice", "bruno", "chloe", "denis", "emma", "farid")
    expected = [story.people[name].email for name in names]
    assert totals["sent"] == 6
    assert sorted(smtp.recipients) == sorted(expected)


def test_it_writes_the_recap_with_its_figures(smtp, initiator, settings):
    settings.SITE_URL = "https://onpromet.example"
    story = scenarios.build(initiator)
    services.recap_save(
        promise=story.promise, author=initiator, text="210 kg ramassés.\n<b>Bravo</b> !"
    )
    with time_machine.travel(scenarios.NOW, tick=False):
        services.recap_publish(promise=story.promise)
    send_broadcast(Broadcast.objects.get(kind=RECAP).pk)

    message = next(m for m in smtp.messages if m["To"] == story.people["bruno"].email)
    assert message["Subject"] == "Le bilan de votre promesse est publié"
    text, html = _body(message, "plain"), _body(message, "html")
    assert text.startswith("Bonjour Bruno,")
    assert "<b>Bravo</b> !" in text
    assert "&lt;b&gt;Bravo&lt;/b&gt; !" in html
    for body in (text, html):
        assert "ramasser les déchets le long du canal" in body
        assert "210 kg ramassés." in body
        assert "sur les 6 personnes qui ont participé" in body
        assert "au moment où l'objectif a été atteint (67\u00a0%)" in body
        assert "ont rejoint en cours de route (33\u00a0%)" in body
        assert "ont posté au moins une photo (50\u00a0%)" in body
        assert "disent avoir tenu leur promesse (33\u00a0%)" in body
        assert "ont abandonné en cours d'action (33\u00a0%)" in body
        assert f"https://onpromet.example/promesses/{story.promise.slug}/bilan/" in body
        assert "https://onpromet.example/notifications/desabonnement/" in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_reminds_the_initiators_only(smtp, initiator, settings):
    settings.SITE_URL = "https://onpromet.example"
    story = scenarios.build(initiator)
    with time_machine.travel(scenarios.paris(25), tick=False):
        assert services.recap_reminders_send() == 1

    send_broadcast(Broadcast.objects.get(kind=RECAP_REMINDER).pk)

    assert list(smtp.recipients) == [initiator.email]
    message = smtp.messages[0]
    assert message["Subject"] == "Votre promesse attend son bilan"
    edit_url = f"https://onpromet.example/promesses/{story.promise.slug}/bilan/ecrire/"
    text, html = _body(message, "plain"), _body(message, "html")
    assert "6 personnes ont participé, dont 2 en cours de route" in text
    assert "<strong>6</strong> personnes ont participé, dont 2 en cours de route" in html
    for body in (text, html):
        assert "Bonjour Arthur," in body
        assert "L'action de votre promesse est finie depuis deux semaines" in body
        assert edit_url in body
        assert "Ce rappel ne vous sera pas renvoyé." in body
