"""The share panel of a promise page (templates/promises/_share.html, promises/sharing.py)."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services, sharing
from promises.models import Pledge
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text

pytestmark = pytest.mark.django_db

NETWORKS = ["WhatsApp", "Facebook", "X", "Bluesky", "LinkedIn", "Telegram", "E-mail", "SMS"]


class Panel(HTMLParser):
    """The share panel as a browser reads it: its links and its link field."""

    def __init__(self):
        super().__init__()
        self.inside = 0
        self.links: dict[str, str] = {}
        self.field = None
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == "partager":
            self.inside = 1
        elif self.inside:
            if tag == "section":
                self.inside += 1
            if tag == "input" and attrs.get("id") == "lien-partage":
                self.field = attrs["value"]
            if tag == "a":
                self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if self.inside and tag == "section":
            self.inside -= 1
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self.inside and self._href and data.strip():
            self.links[data.strip()] = self._href


def panel(response) -> Panel:
    parser = Panel()
    parser.feed(response.content.decode())
    return parser


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_anonymous_visitor_shares_the_short_link_on_every_network(client, promise):
    shared = panel(client.get(promise.get_absolute_url()))
    short = sharing.short_link(promise)
    assert short.endswith(f"/p/{promise.short_code}/")
    assert shared.field == short
    assert [name for name in NETWORKS if name in shared.links] == NETWORKS
    whatsapp = parse_qs(urlsplit(shared.links["WhatsApp"]).query)["text"][0]
    assert whatsapp.replace("\u00a0", " ").startswith("« Je promets d'aller nettoyer la plage")
    assert "Déjà 0 / 3 : plus que 3 personnes. Et vous ?" in whatsapp.replace("\u00a0", " ")
    assert whatsapp.endswith(short)
    assert parse_qs(urlsplit(shared.links["Facebook"]).query)["u"] == [short]
    assert parse_qs(urlsplit(shared.links["LinkedIn"]).query)["url"] == [short]
    x = parse_qs(urlsplit(shared.links["X"]).query)
    assert x["url"] == [short] and short not in x["text"][0]
    mail = urlsplit(shared.links["E-mail"])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query)["body"][0].endswith("\n\n" + short)
    assert urlsplit(shared.links["SMS"]).scheme == "sms"
    # The pictures, the poster and the widget are a click away.
    page = page_text(client.get(promise.get_absolute_url()))
    assert "Télécharger l'image" in page
    assert reverse("promises:square_image", args=[promise.slug]) in page
    assert reverse("promises:poster", args=[promise.slug]) in page
    assert f'&lt;iframe src="{sharing.SharePanel.of(promise, token=None).widget_url}"' in (
        client.get(promise.get_absolute_url()).content.decode()
    )
    assert "Confidentialité" in page


def test_the_shared_words_are_escaped_and_encoded(client, initiator):
    promise = PromiseFactory(
        created_by=initiator, objective=3, action='lire "<script>alert(1)</script>" & rire'
    )
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    text = parse_qs(urlsplit(panel(client.get(promise.get_absolute_url())).links["Bluesky"]).query)
    assert '"<script>alert(1)</script>" & rire' in text["text"][0]


def test_each_participant_gets_their_own_link_from_the_same_cached_page(pledged, participant):
    other = UserFactory()
    services.pledge_create(promise=pledged, user=other)
    pledged.refresh_from_db()
    mine = Pledge.objects.get(promise=pledged, user=participant).share_token
    theirs = Pledge.objects.get(promise=pledged, user=other).share_token
    first = logged_in(participant).get(pledged.get_absolute_url())
    second = logged_in(other).get(pledged.get_absolute_url())  # from the cache
    assert panel(first).field == sharing.short_link(pledged, mine)
    assert panel(second).field == sharing.short_link(pledged, theirs)
    assert mine not in second.content.decode() and theirs not in first.content.decode()
    assert theirs in panel(second).links["WhatsApp"]
    assert "Votre lien personnel" in page_text(second)


def test_an_outsider_shares_the_plain_link(pledged, outsider):
    assert panel(logged_in(outsider).get(pledged.get_absolute_url())).field == (
        sharing.short_link(pledged)
    )


def test_a_hidden_promise_has_no_share_panel(pledged, initiator):
    services.promise_set_hidden(promise=pledged, hidden=True)
    page = logged_in(initiator).get(pledged.get_absolute_url())
    assert page.status_code == 200
    assert panel(page).field is None and 'id="partager"' not in page.content.decode()


def test_right_after_pledging_the_page_asks_to_share(pledged, outsider):
    client = logged_in(outsider)
    response = client.post(reverse("promises:pledge", args=[pledged.slug]), follow=True)
    page = page_text(response).replace("\u00a0", " ")
    assert "Votre promesse est comptée. Plus que 1 personne : partagez-la !" in page
    assert "Plus que 1 personne : partagez-la" in page  # the panel's heading
    assert panel(response).field == sharing.short_link(
        pledged, Pledge.objects.get(promise=pledged, user=outsider).share_token
    )


@pytest.mark.parametrize(
    ("state", "words", "not_words"),
    [
        ("reached", "Objectif atteint (3 / 3) ! On peut encore rejoindre l'action.", "Et vous"),
        ("failed", "L'objectif n'a pas été atteint à temps (0 / 3).", "Et vous"),
        ("cancelled", "Cette promesse a été annulée par ses initiateurs.", "Et vous"),
    ],
)
def test_a_promise_shares_as_what_it_is(client, promise, state, words, not_words):
    if state == "reached":
        reach(promise)
    elif state == "failed":
        with time_machine.travel(promise.deadline + datetime.timedelta(minutes=1)):
            services.promises_fail_expired()
    else:
        services.promise_cancel(promise=promise)
    promise.refresh_from_db()
    text = sharing.share_text(promise).replace("\u00a0", " ")
    assert words in text and not_words not in text
    shared = panel(client.get(promise.get_absolute_url()))
    message = parse_qs(urlsplit(shared.links["WhatsApp"]).query)["text"][0]
    assert words in message.replace("\u00a0", " ")


def test_the_share_link_costs_no_query_on_a_cached_page(
    pledged, participant, django_assert_max_num_queries
):
    client = logged_in(participant)
    client.get(pledged.get_absolute_url())
    # Session, user, version: the page and the visitor's facts (their token) are cached.
    with django_assert_max_num_queries(3):
        response = client.get(pledged.get_absolute_url())
    token = Pledge.objects.get(promise=pledged, user=participant).share_token
    assert re.search(rf'value="[^"]*/p/{pledged.short_code}/{token}/"', response.content.decode())
