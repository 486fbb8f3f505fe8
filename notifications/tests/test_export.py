"""The notifications' section of the data export: each topic's cadence, by its label."""

from accounts.export import SECTIONS
from notifications import kinds


def test_it_lists_every_topic_with_its_cadence(participant):
    data = SECTIONS["preferences"].collect(participant).data
    assert [p["sujet"] for p in data] == [t.label for t in kinds.topics()]
    labels = {str(c.label) for c in kinds.Cadence}
    assert all(p["fréquence"] in labels for p in data)
