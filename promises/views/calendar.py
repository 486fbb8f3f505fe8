"""Ajouter à mon agenda."""

import datetime

import icalendar
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from onpromet.site_url import absolute, site_domain

from ..permissions import get_promise


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Ajouter à mon agenda: an iCalendar file (RFC 5545) of the action, all day long, for
    anyone who can see the promise (a late joiner too). An action on one day of each week is
    one event repeated by its rule, from its first such day to the end of the period; any
    other period is one event over all its days."""
    promise = get_promise(request, slug)
    if promise.action_date is None:
        raise Http404
    url = absolute(promise.get_absolute_url())
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//OnPromet//Promesses collectives//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    # Stable across downloads: a calendar that imports the file again updates the event.
    event.add("uid", f"promesse-{promise.pk}@{site_domain()}")
    event.add("dtstamp", timezone.now())
    # All-day events end on the next day (DTEND is exclusive).
    if promise.is_weekly:
        first = promise.action_first_day
        event.add("dtstart", first)
        event.add("dtend", first + datetime.timedelta(days=1))
        # UNTIL is a date like DTSTART (RFC 5545 wants the same type), and inclusive. The
        # days in date.weekday() order, Monday first.
        byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[promise.action_weekday]
        event.add("rrule", {"freq": "weekly", "byday": byday, "until": promise.action_end_date})
    else:
        event.add("dtstart", promise.action_date)
        event.add("dtend", promise.action_last_day + datetime.timedelta(days=1))
    event.add("summary", promise.sentence)
    event.add("location", promise.city)
    event.add("url", url)
    event.add(
        "description",
        f"{promise.action_when[:1].upper()}{promise.action_when[1:]}.\n\n"
        f"{promise.description}\n\n{url}",
    )
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promesse.ics"'
    return response
