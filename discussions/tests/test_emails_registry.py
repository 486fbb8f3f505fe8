"""The discussions' email kinds and topics, as DiscussionsConfig.ready() registers them, and
every topic of the preferences page in its order. Names and keys are stored (Broadcast.kind,
EmailPreference.topic) and carried by unsubscribe links: they stay."""

from notifications import kinds


def test_it_registers_each_discussion_kind_with_its_topic():
    reply, initiator_post = kinds.kind("reply"), kinds.kind("initiator_post")

    assert (reply.topic, reply.once_per_promise, reply.label) == (
        "replies",
        False,
        "Réponse à un message",
    )
    assert (initiator_post.topic, initiator_post.once_per_promise, initiator_post.label) == (
        "initiator_posts",
        False,
        "Message d'un initiateur",
    )


def test_it_lists_every_topic_in_the_order_of_the_preferences_page():
    assert [(t.key, t.label, t.default) for t in kinds.topics()] == [
        ("action", "Objectif atteint : l'appel à passer à l'action", True),
        ("outcome", "Promesses non atteintes ou annulées", True),
        ("replies", "Réponses à mes messages dans les discussions", True),
        ("initiator_posts", "Messages des initiateurs dans les discussions", False),
        ("updates", "Nouvelles des initiateurs (une par jour au plus)", True),
        ("reminders", "Rappel la veille de l'action", True),
        ("recaps", "Bilans des promesses", True),
        ("relaunches", "Relances d'une promesse non atteinte", True),
        ("initiator_reminders", "Rappels aux initiateurs (bilan à publier)", True),
    ]
