"""The registry of email kinds: each app registers its own; the outbox sends any registered
kind with its template triple, and refuses clearly what no app registered."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from notifications import kinds, services
from notifications.emails import read_unsubscribe_token, unsubscribe_token
from notifications.models import Broadcast, Delivery
from notifications.tasks import send_broadcast

from .conftest import AUDIENCE


def _nobody(broadcast):
    return Broadcast.objects.none().values("pk")


def _kind(name, topic="outbox_tests", **options):
    return kinds.Kind(name, "Essai", topic, recipients=_nobody, context=dict, **options)


def _body(message, subtype):
    (part,) = [p for p in message.walk() if p.get_content_type() == f"text/{subtype}"]
    return part.get_payload(decode=True).decode(part.get_content_charset())


# --- Registering ------------------------------------------------------------------------------


def test_it_refuses_a_kind_registered_twice(test_kind, registry):
    with pytest.raises(ImproperlyConfigured, match="'outbox_test' is registered twice"):
        registry.register(_kind("outbox_test"))


def test_it_refuses_a_topic_registered_twice(test_kind, registry):
    with pytest.raises(ImproperlyConfigured, match="topic 'outbox_tests' is registered twice"):
        registry.register(kinds.Topic("outbox_tests", "Encore", order=1))


def test_it_refuses_a_kind_whose_topic_is_not_registered(registry):
    with pytest.raises(ImproperlyConfigured, match="topic 'nowhere', which is not registered"):
        registry.register(_kind("lost", topic="nowhere"))
    assert "lost" not in registry.KINDS


def test_it_refuses_a_name_longer_than_its_column(test_kind, registry):
    with pytest.raises(ImproperlyConfigured, match="over 20 characters"):
        registry.register(_kind("a_kind_name_too_long_to_store"))


def test_it_names_the_template_after_the_kind_unless_told(test_kind, registry):
    registry.register(_kind("outbox_other", template="outbox_test"))

    assert registry.kind("outbox_test").template == "outbox_test"
    assert registry.kind("outbox_other").template == "outbox_test"


def test_it_lists_topics_in_their_order_whoever_registers_them(registry):
    registry.register(
        kinds.Topic("outbox_last", "En dernier", order=1001),
        kinds.Topic("outbox_first", "En premier", order=0),
    )

    keys = [topic.key for topic in registry.topics()]
    assert keys[0] == "outbox_first" and keys[-1] == "outbox_last"
    assert registry.topic_choices()[0] == ("outbox_first", "En premier")


# --- Unknown kinds and topics -----------------------------------------------------------------


def test_it_says_which_kind_is_unknown(promise):
    with pytest.raises(kinds.NotRegistered, match="No email kind 'nope' is registered"):
        services.broadcast_create(promise=promise, kind="nope")
    assert not Broadcast.objects.exists()


def test_it_refuses_an_unsubscribe_link_for_a_topic_no_app_registers(client, participant):
    token = unsubscribe_token(user_id=participant.pk, topic="gone")

    response = client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 404
    assert not participant.email_preferences.exists()


# --- Once per promise -------------------------------------------------------------------------


def test_it_writes_one_broadcast_per_promise_for_a_once_per_promise_kind(test_kind, promise):
    kinds.register(_kind("outbox_once", once_per_promise=True))

    first = services.broadcast_create(promise=promise, kind="outbox_once")
    second = services.broadcast_create(promise=promise, kind="outbox_once")

    assert first is not None and second is None
    assert list(Broadcast.objects.values_list("kind", "once_per_promise")) == [
        ("outbox_once", True)
    ]


def test_it_writes_every_broadcast_of_a_kind_that_may_happen_again(test_kind, promise):
    services.broadcast_create(promise=promise, kind="outbox_test")
    services.broadcast_create(promise=promise, kind="outbox_test")

    assert list(Broadcast.objects.values_list("kind", "once_per_promise")) == [
        ("outbox_test", False),
        ("outbox_test", False),
    ]


def test_it_applies_the_constraint_only_to_once_per_promise_rows(promise):
    # The database itself, whatever the code that writes the rows.
    Broadcast.objects.create(promise=promise, kind="outbox_test")
    Broadcast.objects.create(promise=promise, kind="outbox_test")
    Broadcast.objects.create(promise=promise, kind="outbox_once", once_per_promise=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Broadcast.objects.create(promise=promise, kind="outbox_once", once_per_promise=True)
    assert Broadcast.objects.count() == 3


# --- A new kind, sent through the real outbox -------------------------------------------------


def test_it_sends_a_newly_registered_kind_end_to_end(smtp, settings, test_kind, promise):
    settings.SITE_URL = "https://onpromet.example"
    zoe = UserFactory(email=f"zoe{AUDIENCE}", display_name="Zoé <b>")
    UserFactory(email="outsider@example.org")  # not in the kind's audience

    broadcast = services.broadcast_create(promise=promise, kind="outbox_test")
    totals = send_broadcast(broadcast.pk)

    assert totals == {"sent": 1, "skipped": 0, "held": 0, "retry": 0, "failed": 0}
    (message,) = smtp.messages
    assert message["To"] == zoe.email
    assert message["Subject"] == f"Essai de l'outbox\u00a0: n° {broadcast.pk}"
    text, html = _body(message, "plain"), _body(message, "html")
    assert text.startswith("Bonjour Zoé <b>,")
    assert "Bonjour Zoé &lt;b&gt;," in html
    assert "<title>Essai</title>" in html  # the kind's HTML, in the layout (email/base.html)
    link = message["List-Unsubscribe"].strip()[1:-1]
    assert link.startswith("https://onpromet.example/notifications/desabonnement/")
    assert link in text and link in html
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (zoe.pk, "outbox_tests")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_it_leaves_out_closed_accounts_and_those_who_turned_the_topic_off(smtp, test_kind, promise):
    kept, closed, off = (UserFactory(email=f"{n}{AUDIENCE}") for n in ("kept", "closed", "off"))
    type(closed).objects.filter(pk=closed.pk).update(is_active=False)
    services.topic_set(user=off, topic="outbox_tests", cadence="never")

    send_broadcast(services.broadcast_create(promise=promise, kind="outbox_test").pk)

    assert list(smtp.recipients) == [kept.email]


def test_it_sends_a_topic_off_by_default_only_to_those_who_asked(registry, promise):
    registry.register(
        kinds.Topic("outbox_quiet", "Sur demande", order=1002, default=kinds.Cadence.NEVER),
        kinds.Kind(
            "outbox_quiet",
            "Essai",
            "outbox_quiet",
            recipients=lambda broadcast: User.objects.filter(email__endswith=AUDIENCE).values("pk"),
            context=dict,
        ),
    )
    asked, _ = UserFactory(email=f"asked{AUDIENCE}"), UserFactory(email=f"quiet{AUDIENCE}")
    services.topic_set(user=asked, topic="outbox_quiet", cadence="immediate")
    broadcast = services.broadcast_create(promise=promise, kind="outbox_quiet")

    assert list(services.recipients(broadcast).values_list("pk", flat=True)) == [asked.pk]


def test_it_sends_one_recipient_only_when_the_broadcast_names_one(smtp, test_kind, promise):
    one, _ = UserFactory(email=f"one{AUDIENCE}"), UserFactory(email=f"other{AUDIENCE}")

    send_broadcast(services.broadcast_create(promise=promise, kind="outbox_test", recipient=one).pk)

    assert list(smtp.recipients) == [one.email]


def test_it_computes_the_context_once_and_the_variants_once_per_batch(
    smtp, settings, test_kind, promise
):
    settings.OUTBOX_BATCH_SIZE = 2
    people = [
        UserFactory(email=f"{name.lower()}{AUDIENCE}", display_name=name)
        for name in ("Anna", "Victor", "Bruno", "Vera", "Chloé")
    ]
    broadcast = services.broadcast_create(promise=promise, kind="outbox_test")

    assert send_broadcast(broadcast.pk)["sent"] == 5

    subjects = {str(m["To"]): str(m["Subject"]) for m in smtp.messages}
    for user in people:
        expected = "Variante" if user.display_name.startswith("V") else "Essai"
        assert subjects[user.email].startswith(f"{expected} de l'outbox")
    assert test_kind.count(("context", broadcast.pk)) == 1
    batches = [ids for what, ids in test_kind if what == "variants"]
    assert sorted(len(ids) for ids in batches) == [1, 2, 2]  # 5 recipients, batches of 2
    assert frozenset().union(*batches) == {u.pk for u in people}
