"""A promise with a known story, for the bilan's tests: every figure is known in advance.

Times in Europe/Paris, March 2026:

    2 March  Arthur (the initiator) starts it: objective 4, deadline 20 March at 23:00.
    3 March  Alice, Bruno and Wassim pledge.                                   count 3
    4 March  Wassim withdraws (9:00); Chloé pledges (12:00).                   count 3
    6 March  Denis pledges: the objective is reached.                          count 4
    7 March  Emma and Farid join on the way; Ugo pledges but never confirms.   count 6
             Photos: Alice (two), Bruno, Farid; Denis's photo is hidden by the moderation,
             Arthur's does not count (initiator); Chloé writes without a photo.
    9 March  Bruno (reason: "Malade") and Emma abandon.                          count 4
             Alice, Farid and Arthur say they kept their promise.

Participants: Alice, Bruno, Chloé, Denis, Emma, Farid (6): 4 when reached, 2 on the way,
3 posted a photo, 2 kept their promise (Arthur is an initiator), 2 abandoned.
"""

import datetime
from dataclasses import dataclass

import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from discussions import services as discussion_services
from onpromet.photos import process_photo
from onpromet.tests.images import image_upload
from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory

# The figures are looked at on 10 March, in the evening: the series runs from 2 to 10 March.
SERIES = [(2, 0), (3, 3), (4, 3), (5, 3), (6, 4), (7, 6), (8, 6), (9, 4), (10, 4)]


def paris(day: int, hour: int = 12, month: int = 3) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))


NOW = paris(10, 18)


@dataclass
class Story:
    promise: Promise
    people: dict


def _photo():
    return process_photo(image_upload(size=(320, 240)))


def _at(day: int, hour: int = 12):
    return time_machine.travel(paris(day, hour), tick=False)


def build(initiator) -> Story:
    with _at(2, 9):
        promise = PromiseFactory(
            created_by=initiator,
            objective=4,
            deadline=paris(20, 23),
            action="ramasser les déchets le long du canal",
        )
    names = ["alice", "bruno", "chloe", "wassim", "denis", "emma", "farid"]
    people = {name: UserFactory(display_name=name.capitalize()) for name in names}
    people["ugo"] = UserFactory(display_name="Ugo", verified=False)

    def post(name, text="", photo=True, author=None):
        return discussion_services.post_create(
            promise=promise,
            author=author or people[name],
            text=text,
            photo=_photo() if photo else None,
        )

    with _at(3):
        for name in ("alice", "bruno", "wassim"):
            services.pledge_create(promise=promise, user=people[name])
    with _at(4, 9):
        services.pledge_withdraw(promise=promise, user=people["wassim"])
    with _at(4):
        services.pledge_create(promise=promise, user=people["chloe"])
    with _at(6):
        services.pledge_create(promise=promise, user=people["denis"])
    with _at(7):
        for name in ("emma", "farid", "ugo"):
            services.pledge_create(promise=promise, user=people[name])
        post("alice")
        post("alice", text="Encore une")
        post("bruno")
        post("farid")
        post("chloe", text="Bravo à tous !", photo=False)
        hidden = post("denis")
        discussion_services.content_set_hidden(content=hidden, hidden=True)
        post(None, text="La berge avant", author=initiator)
    with _at(9):
        services.pledge_abandon(promise=promise, user=people["bruno"], reason="Malade")
        services.pledge_abandon(promise=promise, user=people["emma"])
        for user in (people["alice"], people["farid"], initiator):
            services.pledge_keep(promise=promise, user=user)
    promise.refresh_from_db()
    return Story(promise=promise, people=people)
