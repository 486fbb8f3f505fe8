"""Ajouter à mon agenda: a valid iCalendar file (RFC 5545) for anyone who sees the promise."""

import datetime

import icalendar
from dateutil.rrule import rrulestr
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
    assert "RRULE" not in event  # a period without a day of the week: one event, as before


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


def _weekly(promise, start, end=datetime.date(2027, 9, 30)):
    Promise.objects.filter(pk=promise.pk).update(
        action_date=start,
        action_end_date=end,
        action_weekday=Promise.Weekday.TUESDAY,
        action_schedule="de 9 h à 12 h",
    )
    promise.refresh_from_db()


def test_it_repeats_a_weekly_action_every_such_day_of_the_period(client, promise):
    _weekly(promise, datetime.date(2027, 7, 6))

    calendar = icalendar.Calendar.from_ical(_ics(client, promise).content)

    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2027, 7, 6)
    assert event.decoded("DTEND") == datetime.date(2027, 7, 7)  # one day each time
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU"]
    assert rule["UNTIL"] == [datetime.date(2027, 9, 30)]
    days = [
        moment.date()
        for moment in rrulestr(rule.to_ical().decode(), dtstart=datetime.datetime(2027, 7, 6))
    ]
    assert days[0] == datetime.date(2027, 7, 6) and days[-1] == datetime.date(2027, 9, 28)
    assert len(days) == 13 and {day.weekday() for day in days} == {1}
    assert str(event["DESCRIPTION"]).startswith(
        "Tous les mardis du 6 juillet au 30 septembre 2027, de 9 h à 12 h."
    )


def test_it_starts_on_the_first_such_day_when_the_period_starts_on_another(client, promise):
    # Possible only for rows set in the admin or before the form checked the first day.
    _weekly(promise, datetime.date(2027, 7, 8))
    [event] = icalendar.Calendar.from_ical(_ics(client, promise).content).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2027, 7, 13)
    assert event["RRULE"]["BYDAY"] == ["TU"]


def test_it_keeps_a_period_with_a_single_such_day_in_one_event(client, promise):
    _weekly(promise, datetime.date(2027, 7, 6), end=datetime.date(2027, 7, 10))
    [event] = icalendar.Calendar.from_ical(_ics(client, promise).content).walk("VEVENT")
    assert "RRULE" not in event
    assert event.decoded("DTEND") == datetime.date(2027, 7, 11)
