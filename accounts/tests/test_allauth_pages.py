"""Every django-allauth page is a page of the site: our layout, in French, one <h1>, a label
for every input, and nothing that a strict Content-Security-Policy would block."""

from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

from accounts.tests.factories import UserFactory

ENGLISH = [
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Password Reset",
    "Change Password",
    "Email Address",
    "Remember Me",
    "Forgot Password",
    "Already have an account",
    "Make Primary",
    "Confirm Email",
]
NOT_LABELLED = {"hidden", "submit", "button"}


class Page(HTMLParser):
    """What the checks need from a page: headings, styles, scripts, fields and labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.styled: list[str] = []
        self.inline_scripts = 0
        self.fields: list[dict] = []
        self.labels: set[str] = set()
        self.has_layout = False
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "h1":
            self.h1 += 1
        if "style" in attrs:
            self.styled.append(tag)
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if tag in ("input", "select", "textarea"):
            self.fields.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "main" and attrs.get("id") == "contenu":
            self.has_layout = True

    def handle_data(self, data):
        self.text.append(data)

    def unlabelled_fields(self) -> list[dict]:
        return [
            field
            for field in self.fields
            if field.get("type") not in NOT_LABELLED
            and field.get("id") not in self.labels
            and not field.get("aria-label")
        ]


def _check(response) -> Page:
    assert response.status_code == 200, response
    page = Page(response.content.decode())
    assert page.lang == "fr"
    assert page.has_layout, "the page does not extend base.html"
    assert page.h1 == 1
    assert page.styled == []
    assert page.inline_scripts == 0
    assert page.unlabelled_fields() == []
    text = " ".join(page.text)
    assert [words for words in ENGLISH if words in text] == []
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    return page


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/cle-invalide/",
        "/accounts/password/reset/key/1-cle-invalide/",
        "/accounts/password/reset/key/done/",
        "/accounts/inactive/",
    ],
)
def test_it_renders_the_anonymous_pages_in_the_site(client, db, url):
    _check(client.get(url, follow=True))


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ],
)
def test_it_renders_the_account_pages_in_the_site(client, participant, url):
    client.force_login(participant)
    _check(client.get(url))


def test_it_renders_the_email_page_with_a_change_pending(client, participant):
    client.force_login(participant)
    client.post("/accounts/email/", {"email": "autre@example.org", "action_add": ""})
    _check(client.get("/accounts/email/"))


def test_it_renders_the_confirmation_page_in_the_site(client, db):
    user = UserFactory(verified=False)
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    page = _check(client.get(f"/accounts/confirm-email/{key}/"))
    assert page.h1 == 1


def test_it_renders_the_new_password_page_in_the_site(client, participant):
    key = default_token_generator.make_token(participant)
    url = f"/accounts/password/reset/key/{user_pk_to_url_str(participant)}-{key}/"
    response = client.get(url, follow=True)
    page = _check(response)
    assert {field.get("name") for field in page.fields} >= {"password1", "password2"}


def test_it_marks_invalid_fields_with_bootstrap_classes(client, db):
    response = client.post(
        "/accounts/signup/",
        {"display_name": "", "email": "pas-une-adresse", "password1": "a", "password2": "b"},
    )
    _check(response)
    content = response.content.decode()
    assert 'class="textinput form-control is-invalid"' in content
    assert "invalid-feedback" in content
    assert "Saisissez une adresse e-mail valide." in content


def test_it_renders_buttons_with_bootstrap_classes(client, db):
    content = client.get("/accounts/login/").content.decode()
    assert 'class="btn btn-primary btn-lg w-100"' in content
    assert 'class="form-label requiredField"' in content
