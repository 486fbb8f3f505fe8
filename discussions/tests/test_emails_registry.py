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
    each, any_, digests = (
        ("immediate", "never"),
        ("immediate", "daily", "weekly", "never"),
        (
            "daily",
            "weekly",
            "never",
        ),
    )
    assert [(t.key, t.label, t.default, t.cadences) for t in kinds.topics()] == [
        ("action", "Objectif atteint : l'appel à passer à l'action", "immediate", each),
        ("outcome", "Promesses non atteintes ou annulées", "immediate", each),
        ("replies", "Réponses à mes messages dans les discussions", "immediate", any_),
        ("initiator_posts", "Messages des initiateurs dans les discussions", "never", any_),
        (
            "activity",
            "Activité des discussions de mes promesses (pour les initiateurs)",
            "daily",
            any_,
        ),
        ("updates", "Nouvelles des initiateurs (une par jour au plus)", "immediate", any_),
        ("reminders", "Rappel la veille de l'action", "immediate", each),
        ("recaps", "Bilans des promesses", "immediate", each),
        ("relaunches", "Relances d'une promesse non atteinte", "immediate", each),
        ("initiator_reminders", "Rappels aux initiateurs (bilan à publier)", "immediate", each),
        (
            "commitments",
            "Aux initiateurs : une organisation propose de soutenir votre promesse",
            "immediate",
            each,
        ),
        ("alerts", "Alertes : les nouvelles promesses de mes recherches", "weekly", digests),
    ]


def test_every_kind_of_a_digestible_topic_has_its_digest_entry():
    from django.template.loader import get_template

    for kind in kinds.KINDS.values():
        if kinds.topic(kind.topic).digestible:
            get_template(f"email/digest/{kind.name}.html")
            get_template(f"email/digest/{kind.name}.txt")
