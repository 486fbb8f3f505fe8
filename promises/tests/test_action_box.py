"""The promise page's action box and discussion box, for every state × every visitor: what
each one reads, which buttons and links they get (agenda and relaunch included), and why they
can or cannot write in the discussion. The table below is the specification.

A combination that cannot happen (abandoning needs the objective reached, keeping needs the
action begun) has no row. On a hidden promise, only its initiators and moderators see the page.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

STATES = ("open", "reached", "failed", "cancelled", "finished", "hidden")
VISITORS = (
    "anonymous",
    "outsider",
    "pending",
    "participant",
    "withdrawn",
    "abandoned",
    "kept",
    "initiator",
    "moderator",
)
# The buttons and links of the action box, as their labels read.
PLEDGE = "Je promets"
WITHDRAW = "Retirer ma promesse"
KEEP = "J'ai tenu ma promesse"
ABANDON = "Abandonner"
RELAUNCH = "Relancer la promesse"
SEE_RECAP = "Voir le bilan"
WRITE_RECAP = "Écrire le bilan"
EDIT = "Modifier"
CANCEL = "Annuler la promesse"
MODERATE = "Modérer"
AGENDA = "Ajouter à mon agenda"
LABELS = (
    PLEDGE,
    WITHDRAW,
    KEEP,
    ABANDON,
    RELAUNCH,
    SEE_RECAP,
    WRITE_RECAP,
    EDIT,
    CANCEL,
    MODERATE,
    AGENDA,
)
FORM = "the discussion's form"
NOT_FOUND = 404

# Messages, as the visitor reads them.
PENDING = "Votre promesse sera comptée dès que vous aurez confirmé votre adresse e-mail"
RELEASED = "L'objectif n'a pas été atteint à temps : chacun est libéré de sa promesse."
YOU_ARE_RELEASED = "Vous aviez promis, mais l'objectif n'a pas été atteint à temps"
CANCELLED = "Les initiateurs ont annulé cette promesse : chacun est libéré de sa promesse."
YOU_ARE_CANCELLED = "Les initiateurs ont annulé cette promesse : vous êtes libéré de votre"
ON_THE_WAY = "L'objectif est atteint : vous pouvez encore rejoindre l'action en cours de route."
FINISHED = "L'action est terminée : le bilan est publié."
KEPT = "Vous avez tenu votre promesse le"
ABANDONED_ON = "Vous avez abandonné le"
# In the discussion box.
SIGN_UP_TO_WRITE = "Promettez (en créant votre compte) pour participer à la discussion"
PLEDGE_TO_WRITE = "Promettez pour participer à la discussion"
CONFIRM_TO_WRITE = "Vous pourrez écrire dans la discussion dès que votre adresse e-mail"
ONLY_PARTICIPANTS = "Seuls les participants et les initiateurs écrivent dans la discussion."
WITHDRAWN_READS = "Vous avez retiré votre promesse : seuls les participants"
ABANDONED_READS = "Vous avez abandonné : vous lisez la discussion"
COME_BACK = "Promettez à nouveau pour y revenir."

# (state, visitor): (message or None, buttons, discussion box: FORM or its text [+ COME_BACK]).
TABLE = {
    ("open", "anonymous"): (None, {PLEDGE, AGENDA}, SIGN_UP_TO_WRITE),
    ("open", "outsider"): (None, {PLEDGE, AGENDA}, PLEDGE_TO_WRITE),
    ("open", "pending"): (PENDING, {WITHDRAW, AGENDA}, CONFIRM_TO_WRITE),
    ("open", "participant"): (
        "Vous avez promis. Partagez la promesse pour atteindre l'objectif.",
        {WITHDRAW, AGENDA},
        FORM,
    ),
    ("open", "withdrawn"): (
        "Vous avez retiré votre promesse. Vous pouvez promettre à nouveau",
        {PLEDGE, AGENDA},
        (WITHDRAWN_READS, COME_BACK),
    ),
    ("open", "initiator"): (
        "Vous êtes initiateur ou initiatrice de cette promesse. Partagez-la",
        {EDIT, CANCEL, AGENDA},
        FORM,
    ),
    ("open", "moderator"): (None, {PLEDGE, MODERATE, AGENDA}, PLEDGE_TO_WRITE),
    ("reached", "anonymous"): (ON_THE_WAY, {PLEDGE, AGENDA}, SIGN_UP_TO_WRITE),
    ("reached", "outsider"): (ON_THE_WAY, {PLEDGE, AGENDA}, PLEDGE_TO_WRITE),
    ("reached", "pending"): (PENDING, {AGENDA}, CONFIRM_TO_WRITE),
    ("reached", "participant"): (
        "Vous avez promis : l'objectif est atteint, à vous d'agir !",
        {KEEP, ABANDON, AGENDA},
        FORM,
    ),
    ("reached", "withdrawn"): (
        "Vous aviez retiré votre promesse. L'objectif est atteint : vous pouvez encore",
        {PLEDGE, AGENDA},
        (WITHDRAWN_READS, COME_BACK),
    ),
    ("reached", "abandoned"): (
        ABANDONED_ON,
        {PLEDGE, AGENDA},
        (ABANDONED_READS, COME_BACK),
    ),
    ("reached", "kept"): (KEPT, {ABANDON, AGENDA}, FORM),
    ("reached", "initiator"): (
        "L'objectif est atteint : à vous d'agir, puis d'en écrire le bilan.",
        {KEEP, WRITE_RECAP, EDIT, AGENDA},
        FORM,
    ),
    ("reached", "moderator"): (ON_THE_WAY, {PLEDGE, MODERATE, AGENDA}, PLEDGE_TO_WRITE),
    ("failed", "anonymous"): (RELEASED, set(), ONLY_PARTICIPANTS),
    ("failed", "outsider"): (RELEASED, set(), ONLY_PARTICIPANTS),
    ("failed", "pending"): (YOU_ARE_RELEASED, set(), CONFIRM_TO_WRITE),
    ("failed", "participant"): (YOU_ARE_RELEASED, set(), FORM),
    ("failed", "withdrawn"): (RELEASED, set(), WITHDRAWN_READS),
    ("failed", "initiator"): (
        "chacun est libéré de sa promesse. Vous pouvez la relancer.",
        {RELAUNCH, EDIT},
        FORM,
    ),
    ("failed", "moderator"): (RELEASED, {MODERATE}, ONLY_PARTICIPANTS),
    ("cancelled", "anonymous"): (CANCELLED, set(), ONLY_PARTICIPANTS),
    ("cancelled", "outsider"): (CANCELLED, set(), ONLY_PARTICIPANTS),
    ("cancelled", "pending"): (YOU_ARE_CANCELLED, set(), CONFIRM_TO_WRITE),
    ("cancelled", "participant"): (YOU_ARE_CANCELLED, set(), FORM),
    ("cancelled", "withdrawn"): (CANCELLED, set(), WITHDRAWN_READS),
    ("cancelled", "initiator"): (CANCELLED, {EDIT}, FORM),
    ("cancelled", "moderator"): (CANCELLED, {MODERATE}, ONLY_PARTICIPANTS),
    ("finished", "anonymous"): (FINISHED, {SEE_RECAP}, ONLY_PARTICIPANTS),
    ("finished", "outsider"): (FINISHED, {SEE_RECAP}, ONLY_PARTICIPANTS),
    ("finished", "pending"): (FINISHED, {SEE_RECAP}, CONFIRM_TO_WRITE),
    ("finished", "participant"): (
        "Vous avez participé à cette action. Merci ! Le bilan est publié.",
        {SEE_RECAP, KEEP},
        FORM,
    ),
    ("finished", "withdrawn"): (FINISHED, {SEE_RECAP}, WITHDRAWN_READS),
    ("finished", "abandoned"): ("Vous aviez abandonné le", {SEE_RECAP}, ABANDONED_READS),
    ("finished", "kept"): (KEPT, {SEE_RECAP}, FORM),
    ("finished", "initiator"): (
        "Vous avez mené cette action jusqu'au bout : le bilan est publié.",
        {SEE_RECAP, KEEP, EDIT},
        FORM,
    ),
    ("finished", "moderator"): (FINISHED, {SEE_RECAP, MODERATE}, ONLY_PARTICIPANTS),
    **{
        ("hidden", visitor): NOT_FOUND
        for visitor in ("anonymous", "outsider", "pending", "participant", "withdrawn")
    },
    ("hidden", "initiator"): ("Masquée par la modération", {EDIT, CANCEL}, None),
    ("hidden", "moderator"): (None, {MODERATE}, None),
}

# Which pledge a visitor holds before the story of the promise goes on.
PLEDGED_BEFORE = {"pending", "participant", "withdrawn", "abandoned", "kept"}


def impossible(state: str, visitor: str) -> bool:
    """Abandoning needs the objective reached; keeping needs the action begun."""
    return visitor in ("abandoned", "kept") and state not in ("reached", "finished")


def test_the_table_has_every_possible_combination():
    expected = {
        (state, visitor)
        for state in STATES
        for visitor in VISITORS
        if not impossible(state, visitor)
    }
    assert set(TABLE) == expected


def build(state: str, visitor: str, cast: dict) -> tuple[Promise, object]:
    """A promise of the initiator in `state`, and the user who visits it (None: anonymous)."""
    initiator = cast["initiator"]
    promise = PromiseFactory(created_by=initiator, objective=2, action_date=timezone.localdate())
    user = {
        "anonymous": None,
        "outsider": cast["outsider"],
        "initiator": initiator,
        "moderator": cast["moderator"],
    }.get(visitor)
    if visitor in PLEDGED_BEFORE:
        user = UserFactory(verified=visitor != "pending")
        services.pledge_create(promise=promise, user=user)
    if visitor == "withdrawn":
        services.pledge_withdraw(promise=promise, user=user)

    if state in ("reached", "finished"):
        for other in UserFactory.create_batch(2):
            services.pledge_create(promise=promise, user=other)
        promise.refresh_from_db()
        assert promise.is_reached
        if visitor == "abandoned":
            services.pledge_abandon(promise=promise, user=user, reason="Malade")
        if visitor == "kept":
            services.pledge_keep(promise=promise, user=user)
    if state == "finished":
        services.recap_save(promise=promise, author=initiator, text="Fait.")
        services.recap_publish(promise=promise)
    if state == "failed":
        with time_machine.travel(promise.deadline + datetime.timedelta(minutes=1)):
            services.promises_fail_expired()
    if state == "cancelled":
        services.promise_cancel(promise=promise)
    if state == "hidden":
        services.promise_set_hidden(promise=promise, hidden=True)
    promise.refresh_from_db()
    assert promise.state == (state if state != "hidden" else "open")
    return promise, user


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def labels_in(html: str) -> set[str]:
    """The labels among LABELS that are a link or a button in `html`."""
    found = set()
    for label in LABELS:
        if re.search(rf"<(a|button)\b[^>]*>\s*{re.escape(label)}\s*</\1>", html):
            found.add(label)
    return found


@pytest.mark.parametrize(
    ("state", "visitor"), sorted(TABLE), ids=[f"{s}-{v}" for s, v in sorted(TABLE)]
)
def test_it_tells_each_visitor_what_they_can_do(state, visitor, initiator, outsider, moderator):
    promise, user = build(
        state, visitor, {"initiator": initiator, "outsider": outsider, "moderator": moderator}
    )
    client = Client()
    if user is not None:
        client.force_login(user)

    response = client.get(promise.get_absolute_url())

    expected = TABLE[state, visitor]
    if expected == NOT_FOUND:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    message, buttons, discussion = expected
    page = page_text(response)
    box = section(page, 'id="titre-progression"', "</section>")
    if message is not None:
        assert message in box, box
    else:
        assert "alert" not in section(box, "</dl>", 'class="d-flex'), box
    assert labels_in(box) == buttons

    talk = section(page, 'id="discussion"', "</section>")
    if discussion == FORM:
        assert "Publier" in talk
    elif discussion is None:
        assert "alert" not in talk and "Publier" not in talk
    else:
        texts = discussion if isinstance(discussion, tuple) else (discussion,)
        assert "Publier" not in talk
        for text in texts:
            assert text in talk, talk
        if COME_BACK not in texts:
            assert COME_BACK not in talk
