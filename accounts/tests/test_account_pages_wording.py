"""The words of the account pages (allauth's, overridden), as a French reader meets them: verbs on
buttons, "e-mail" as everywhere else on the site, the password rules as one short help line
under the field, and no stiff or translated phrases left."""

import re
from html import unescape

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

from accounts.forms import password_help
from accounts.tests.factories import PASSWORD, UserFactory

BAD = [
    "Création de compte",
    "Courriel",
    "courriel",
    "Vous pouvez donc",
    # allauth's list of the four password rules, shown before anyone typed
    "Votre mot de passe ne peut pas",
    "Votre mot de passe doit contenir",
    "Mauvais jeton",
    "Êtes-vous sûr",
    "réauthentifier",
    # there is no contact address to write to
    "contactez-nous",
    "nous contacter",
]
MAIN = re.compile(r"<main\b.*?</main>", re.S)
TAG = re.compile(r"<[^>]+>")


def read(response) -> str:
    """The page's main content as a reader sees it: text only, spaces collapsed."""
    assert response.status_code == 200, response
    (main,) = MAIN.findall(response.content.decode())
    return " ".join(unescape(TAG.sub(" ", main)).split()).replace(" .", ".").replace(" ,", ",")


def assert_worded(response, *expected: str) -> str:
    text = read(response)
    for words in expected:
        assert words in text, text
    assert [words for words in BAD if words in text] == []
    return text


# --- Pages for visitors ---------------------------------------------------------------------


def test_it_words_the_sign_up_page(client, db):
    text = assert_worded(
        client.get("/accounts/signup/"),
        "Créer un compte",
        "Vous avez déjà un compte ? Connectez-vous.",
        "Adresse e-mail",
        password_help(),
        "Créer mon compte",
        "Nous vous enverrons un e-mail pour confirmer votre adresse.",
    )
    assert text.count(password_help()) == 1


def test_it_shows_the_password_rules_as_help_under_the_field(client, db):
    content = client.get("/accounts/signup/").content.decode()
    field = content.index('id="id_password1"')
    helptext = content.index('id="id_password1_helptext"')
    assert content.index('for="id_password1"') < field < helptext
    assert 'aria-describedby="id_password1_helptext"' in content
    assert "<ul>" not in content[field : helptext + 300]
    assert password_help().startswith("Au moins 8 caractères.")


def test_it_still_explains_a_refused_password_after_submit(client, db):
    response = client.post(
        "/accounts/signup/",
        {"display_name": "Zoé", "email": "zoe@example.org", "password1": "123", "password2": "123"},
    )
    assert_worded(
        response,
        "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères.",
        "Ce mot de passe est entièrement numérique.",
        password_help(),
    )


def test_it_words_the_log_in_page(client, db):
    assert_worded(
        client.get("/accounts/login/"),
        "Se connecter",
        "Pas encore de compte ? Créez-en un",
        "Adresse e-mail",
        "Mot de passe oublié ?",
        "Se souvenir de moi",
    )


def test_it_welcomes_by_name_after_logging_in(client, participant):
    response = client.post(
        "/accounts/login/", {"login": participant.email, "password": PASSWORD}, follow=True
    )
    assert "Bienvenue, Paula\u00a0!" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/accounts/confirm-email/",
            [
                "Vérifiez votre adresse e-mail",
                "Nous venons de vous envoyer un e-mail.",
                "Regardez dans vos courriers indésirables",
            ],
        ),
        (
            "/accounts/confirm-email/cle-invalide/",
            [
                "Ce lien de confirmation a expiré ou n'est plus valable.",
                "Connectez-vous : si votre adresse n'est pas encore confirmée",
            ],
        ),
        (
            "/accounts/password/reset/",
            [
                "Mot de passe oublié",
                "Indiquez l'adresse e-mail de votre compte",
                "Recevoir le lien",
            ],
        ),
        (
            "/accounts/password/reset/done/",
            ["Vérifiez vos e-mails", "Nous vous avons envoyé un e-mail avec un lien"],
        ),
        (
            "/accounts/password/reset/key/1-cle-invalide/",
            ["Ce lien ne fonctionne plus", "a expiré, ou il a déjà servi. Demandez-en un nouveau."],
        ),
        ("/accounts/password/reset/key/done/", ["Mot de passe enregistré", "connectez-vous"]),
        ("/accounts/inactive/", ["Compte désactivé", "il n'est plus possible de s'y connecter"]),
    ],
)
def test_it_words_the_pages_for_visitors(client, db, url, expected):
    assert_worded(client.get(url, follow=True), *expected)


def test_it_words_the_confirmation_link_page(client, db):
    user = UserFactory(verified=False, display_name="Zoé")
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    assert_worded(
        client.get(f"/accounts/confirm-email/{key}/"),
        "Confirmez votre adresse e-mail",
        f"Un dernier clic : confirmez que {user.email} est bien l'adresse de Zoé.",
        "Confirmer l'adresse e-mail",
    )


def test_it_words_the_new_password_page(client, participant):
    key = default_token_generator.make_token(participant)
    url = f"/accounts/password/reset/key/{user_pk_to_url_str(participant)}-{key}/"
    assert_worded(
        client.get(url, follow=True),
        "Choisissez un nouveau mot de passe",
        password_help(),
        "Enregistrer le mot de passe",
    )


# --- Pages for members ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/accounts/password/change/",
            [
                "Changer de mot de passe",
                "Mot de passe actuel",
                password_help(),
                "Enregistrer le nouveau mot de passe",
            ],
        ),
        (
            "/accounts/email/",
            ["Votre adresse e-mail", "Adresse actuelle", "Nouvelle adresse e-mail"],
        ),
        ("/accounts/logout/", ["Se déconnecter", "Voulez-vous vous déconnecter d'OnPromet ?"]),
        (
            "/accounts/reauthenticate/",
            ["Confirmez que c'est vous", "saisissez à nouveau votre mot de passe"],
        ),
        (
            "/accounts/password/reset/",
            ["Vous êtes connecté(e) en tant que Paula.", "Mot de passe oublié"],
        ),
    ],
)
def test_it_words_the_pages_for_members(client, participant, url, expected):
    client.force_login(participant)
    assert_worded(client.get(url, follow=True), *expected)


def test_it_words_a_pending_change_of_address(client, participant):
    client.force_login(participant)
    response = client.post(
        "/accounts/email/", {"email": "autre@example.org", "action_add": ""}, follow=True
    )
    assert_worded(
        response,
        "Nous avons envoyé un lien de confirmation à autre@example.org.",
        "Nouvelle adresse, à confirmer",
        "elle remplacera l'actuelle une fois confirmée",
        "Renvoyer le lien",
        "Annuler le changement",
    )
