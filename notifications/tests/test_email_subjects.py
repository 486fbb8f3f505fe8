"""Email subjects: every templates/email/*.subject.txt renders to one line that starts with a
word (no leading space, as the template is and as render_subject() gives it), with the French
no-break spaces of its own words kept (render_subject() joins lines, but not at those)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from notifications.emails import assemble, render_subject

NBSP = "\u00a0"
SUBJECTS = sorted((Path(settings.BASE_DIR) / "templates" / "email").glob("*.subject.txt"))


class Anything:
    """Whatever a subject asks of its context (promise.action, post.author.public_name…)."""

    def __getattr__(self, name):
        return self

    def __str__(self):
        return "Zoé"


CONTEXT = {name: Anything() for name in ("promise", "post", "comment", "update", "inviter")}


def test_there_are_subjects_to_check():
    assert len(SUBJECTS) >= 10


@pytest.mark.parametrize("path", SUBJECTS, ids=lambda path: path.name)
def test_it_renders_each_subject_on_one_line_without_a_leading_space(path):
    name = path.name.removesuffix(".subject.txt")

    raw = render_to_string(f"email/{name}.subject.txt", CONTEXT)
    subject = render_subject(name, CONTEXT)

    assert raw[:1].strip(), f"{path.name} starts with {raw[:1]!r}"
    assert subject == subject.strip() and "\n" not in subject
    assert "  " not in subject


def test_it_keeps_the_no_break_spaces_of_a_subject():
    subject = render_subject("reached", CONTEXT)

    assert subject == f"Objectif atteint{NBSP}: passez à l'action{NBSP}!"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("joined_late", f"Bienvenue{NBSP}! L'objectif est atteint{NBSP}: passez à l'action"),
        ("action_reminder", f"C'est demain{NBSP}: Zoé"),
        ("relaunch", f"On recommence{NBSP}? Zoé"),
    ],
)
def test_it_spaces_the_words_of_each_subject_and_not_what_follows(name, expected):
    assert render_subject(name, CONTEXT) == expected


@pytest.mark.parametrize(
    "subject",
    [
        f"Nouvelles de la promesse{NBSP}: éteindre mes écrans le soir pendant un mois entier",
        f"C'est demain{NBSP}: aller nettoyer la plage de Biscarosse le samedi 8 juillet",
        f"Objectif atteint{NBSP}: passez à l'action{NBSP}!",
        "Le bilan de votre promesse est publié",
    ],
)
def test_it_delivers_a_long_accented_subject_without_a_leading_space(smtp, subject):
    # Python's compat32 folding used to put such a subject on the line after "Subject:",
    # which a reader unfolds to " Nouvelles de la promesse…".
    assemble(subject, "Bonjour", "<p>Bonjour</p>", to="zoe@example.org").send()

    assert str(smtp.messages[0]["Subject"]) == subject
