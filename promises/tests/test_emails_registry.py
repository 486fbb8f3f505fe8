"""The promises' email kinds and topics, as PromisesConfig.ready() registers them. Their names
are stored (Broadcast.kind, EmailPreference.topic) and carried by unsubscribe links: they stay."""

from notifications import kinds


def test_it_registers_each_promise_kind_with_its_topic_and_whether_once_per_promise():
    registered = {
        name: (kinds.kind(name).topic, kinds.kind(name).once_per_promise, kinds.kind(name).label)
        for name in (
            "reached",
            "joined_late",
            "failed",
            "cancelled",
            "update",
            "action_reminder",
            "recap",
            "recap_reminder",
            "relaunch",
        )
    }
    assert registered == {
        "reached": ("action", True, "Objectif atteint"),
        "joined_late": ("action", False, "Bienvenue en cours de route"),
        "failed": ("outcome", True, "Objectif non atteint"),
        "cancelled": ("outcome", True, "Promesse annulée"),
        "update": ("updates", False, "Nouvelle des initiateurs"),
        "action_reminder": ("reminders", True, "Rappel : l'action, c'est demain"),
        "recap": ("recaps", True, "Bilan publié"),
        "recap_reminder": (
            "initiator_reminders",
            True,
            "Rappel aux initiateurs : publier le bilan",
        ),
        "relaunch": ("relaunches", True, "Relance d'une promesse non atteinte"),
    }
    # Each is sent with its own template triple.
    assert all(kinds.kind(name).template == name for name in registered)
