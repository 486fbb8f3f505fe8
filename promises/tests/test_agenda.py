"""Ajouter à mon agenda: a valid iCalendar file (RFC 5545) for anyone who sees the promise."""

import datetime

import icalendar
from django.urls import reverse

from promises.models import Promise


def _ics(client, promise):
    return client.get(reverse("promises:agenda", args=[promise.slug]))


def test_it_serves_a_valid_all_day_event(client, promise, settings):
    settings.SITE_URL = "https://onpromet.example"
    Promise.objects.filter(pk=promise.pk).update(
        action_date=datetime.date(2027, 1, 7),
        action_end_date=datetime.date(2027, 6, 30),
        action_schedule="tous les mardis, à 18 h; au local",
        description="Une ligne assez longue pour être pliée à soixante-quinze octets, " * 3,
    )
    promise.refresh_from_db()

    response = _ics(client, promise)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)  # folded
    assert b"DTSTART;VALUE=DATE:20270107" in raw
    assert b"DTEND;VALUE=DATE:20270701" in raw  # exclusive
    unfolded = raw.replace(b"\r\n ", b"").decode()
    assert "tous les mardis\\, à 18 h\\; au local" in unfolded
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == promise.sentence
    assert str(event["URL"]) == f"https://onpromet.example/promesses/{promise.slug}/"
    assert str(event["UID"]) == f"promesse-{promise.pk}@onpromet.example"
    assert "DTSTAMP" in event
    assert "Du 7 janvier au 30 juin 2027" in str(event["DESCRIPTION"])


def test_it_ends_a_single_day_the_next_day(client, promise):
    Promise.objects.filter(pk=promise.pk).update(action_date=datetime.date(2027, 7, 10))
    raw = _ics(client, promise).content
    assert b"DTSTART;VALUE=DATE:20270710" in raw and b"DTEND;VALUE=DATE:20270711" in raw


def test_it_is_there_only_when_the_action_has_a_date(client, promise):
    assert _ics(client, promise).status_code == 404
    assert "Ajouter à mon agenda" not in client.get(promise.get_absolute_url()).content.decode()


def test_it_is_hidden_with_its_promise(client, promise, outsider):
    Promise.objects.filter(pk=promise.pk).update(
        action_date=datetime.date(2027, 7, 10), is_hidden=True
    )
    client.force_login(outsider)
    assert _ics(client, promise).status_code == 404
