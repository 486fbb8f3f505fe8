"""The outbox tested on a kind of the tests' own, registered for one test and gone after it,
with its template triples in notifications/tests/templates/email/: no app's kind is needed.
A broadcast still names a promise (its schema does): the cast's `promise` fixture gives one."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from notifications import kinds

TEMPLATES = Path(__file__).parent / "templates"
AUDIENCE = "@outbox.test"  # the test kind goes to every user with such an address


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps filled it; what a test adds is gone after it."""
    monkeypatch.setattr(kinds, "KINDS", dict(kinds.KINDS))
    monkeypatch.setattr(kinds, "TOPICS", dict(kinds.TOPICS))
    return kinds


@pytest.fixture
def test_kind(registry, settings):
    """The kind "outbox_test", in the topic "outbox_tests" (on by default): to every user
    whose address ends with AUDIENCE, the variant template to those whose name starts with
    "V". Its context and variants functions record their calls."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    calls = []  # ("context", broadcast id) or ("variants", the batch's user ids)

    def context(broadcast):
        calls.append(("context", broadcast.pk))
        return {"note": f"n° {broadcast.pk}"}

    def variants(broadcast, user_ids):
        calls.append(("variants", frozenset(user_ids)))
        users = get_user_model().objects.filter(pk__in=user_ids, display_name__startswith="V")
        return dict.fromkeys(users.values_list("pk", flat=True), "outbox_test_variant")

    registry.register(
        kinds.Topic("outbox_tests", "Essais de l'outbox", order=1000),
        kinds.Kind(
            "outbox_test",
            "Essai",
            "outbox_tests",
            recipients=lambda broadcast: (
                get_user_model().objects.filter(email__endswith=AUDIENCE).values("pk")
            ),
            context=context,
            variants=variants,
        ),
    )
    return calls
