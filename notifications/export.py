"""The notifications' part of the data export (accounts.export): the email preferences."""

from accounts.export import Part, Section

from . import kinds, services


def _cadence_label(value: str) -> str:
    try:
        return str(kinds.Cadence(value).label)
    except ValueError:
        return value


def _preferences(user) -> Part:
    cadences = services.topic_cadences(user=user)
    return Part(
        [
            {"sujet": topic.label, "fréquence": _cadence_label(cadences[topic.key])}
            for topic in kinds.topics()
            if topic.key in cadences
        ]
    )


SECTIONS = [Section("preferences", "Préférences d'e-mails", 30, _preferences)]
