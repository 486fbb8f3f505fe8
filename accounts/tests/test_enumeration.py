"""Nobody can learn from the site whether an address has an account: signing up with a taken
address and resetting the password of an unknown one look exactly like the ordinary cases.
Only the mailbox's owner learns it, by email."""

import re

from accounts.models import User
from accounts.tests.factories import PASSWORD

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _visible(response, email) -> str:
    """The page as a person sees it, with the address they typed blanked out."""
    return CSRF_TOKEN.sub("", response.content.decode()).replace(email, "EMAIL")


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"display_name": "Zoé", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def test_it_answers_a_signup_with_a_taken_address_like_a_new_one(client, participant, mailoutbox):
    taken = _sign_up(client, participant.email)
    new = _sign_up(client, "nouvelle@example.org")

    assert taken.redirect_chain == new.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert _visible(taken, participant.email) == _visible(new, "nouvelle@example.org")
    content = taken.content.decode()
    assert "existe déjà" not in content
    assert "already" not in content

    # No second account; the owner of the address is told by email instead.
    assert User.objects.filter(email__iexact=participant.email).count() == 1
    assert [mail.to for mail in mailoutbox] == [[participant.email], ["nouvelle@example.org"]]
    assert mailoutbox[0].subject == "Vous avez déjà un compte OnPromet"


def test_it_answers_a_reset_for_an_unknown_address_like_a_known_one(
    client, participant, mailoutbox
):
    known = client.post("/accounts/password/reset/", {"email": participant.email}, follow=True)
    unknown = client.post(
        "/accounts/password/reset/", {"email": "inconnue@example.org"}, follow=True
    )

    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain == [("/accounts/password/reset/done/", 302)]
    assert _visible(known, participant.email) == _visible(unknown, "inconnue@example.org")
    assert "inconnu" not in unknown.content.decode()

    assert [mail.to for mail in mailoutbox] == [[participant.email], ["inconnue@example.org"]]
    assert mailoutbox[1].subject == "Aucun compte OnPromet à cette adresse"
