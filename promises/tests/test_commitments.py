"""A sponsor's commitment: an admin of ACME proposes "plante un arbre par participant" from the
promise page, the initiators accept or refuse it (told by email), the admin may withdraw it
until the objective is reached. Accepted, it is on the promise page, in the "Objectif atteint"
email and in the bilan (with what it comes to); only declared, never paid."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications.models import Broadcast
from notifications.tasks import send_broadcast
from onpromet.errors import Refusal
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import commitments, services
from promises.emails import COMMITMENT_PROPOSED, REACHED
from promises.models import Commitment, Promise
from promises.tests.factories import PromiseFactory, reach
from promises.tests.helpers import page_text as raw_text
from promises.tests.test_emails_send import _body
from promises.tests.test_versions import bumps

NBSP = "\u00a0"


def page_text(response) -> str:
    """What a reader sees: no tags, entities decoded, white space collapsed (no-break spaces
    kept)."""
    text = re.sub(r"<[^>]+>", "", raw_text(response))
    return re.sub(r"[ \t\n]+", " ", text)


SPONSOR_LINK = "Votre organisation soutient cette promesse"
SENTENCE = "Si l'objectif est atteint, ACME plante un arbre par participant"
NO_PAYMENT = "OnPromet ne collecte ni ne verse aucun paiement"


@pytest.fixture
def boss(db):
    return UserFactory(display_name="Alice")


@pytest.fixture
def acme(boss):
    return organisation_services.organisation_create(
        user=boss, name="ACME", kind=Organisation.Kind.COMPANY
    )


@pytest.fixture
def employee(acme):
    user = UserFactory(display_name="Émile")
    Membership.objects.create(
        organisation=acme, user=user, role=Membership.Role.ANIMATEUR, via=Membership.Via.LINK
    )
    return user


def propose(promise, acme, boss, **fields) -> Commitment:
    return commitments.commitment_propose(
        organisation=acme,
        promise=promise,
        user=boss,
        text=fields.pop("text", "plante un arbre par participant"),
        **fields,
    )


def accepted(promise, acme, boss, initiator, **fields) -> Commitment:
    commitment = propose(promise, acme, boss, **fields)
    return commitments.commitment_accept(commitment=commitment, user=initiator)


def form_url(promise) -> str:
    return reverse("promises:commitment", args=[promise.slug])


def action_url(name: str, commitment: Commitment) -> str:
    return reverse(f"promises:commitment_{name}", args=[commitment.promise.slug, commitment.pk])


def page(client, promise, user=None) -> str:
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    return page_text(response)


# --- Proposing ---------------------------------------------------------------------------------


def test_it_invites_only_organisations_admins_to_back_the_promise(
    client, promise, boss, acme, employee, participant, initiator
):
    assert SPONSOR_LINK in page(client, promise, boss)
    for user in (None, participant, initiator, employee):
        assert SPONSOR_LINK not in page(client, promise, user)
    # The admin's page is theirs: after it was rendered, the others still get theirs.
    assert SPONSOR_LINK in page(client, promise, boss)
    assert SPONSOR_LINK not in page(client, promise, UserFactory())


def test_it_records_the_proposal_of_an_admin(client, promise, boss, acme):
    client.force_login(boss)
    assert client.get(form_url(promise)).status_code == 200

    response = client.post(
        form_url(promise),
        {
            "organisation": acme.pk,
            "text": "Plante un arbre par participant.",
            "amount": "1",
            "unit": " arbre ",
            "cap": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    commitment = Commitment.objects.get()
    assert (commitment.organisation, commitment.promise, commitment.proposed_by) == (
        acme,
        promise,
        boss,
    )
    assert commitment.state == Commitment.State.PROPOSED
    assert (commitment.text, commitment.amount, commitment.unit, commitment.cap) == (
        "plante un arbre par participant",
        Decimal("1"),
        "arbre",
        None,
    )
    assert "proposé aux initiateurs" in page_text(client.get(response["Location"]))


def test_it_refuses_the_others(client, promise, acme, employee, outsider, other_admin_org):
    other_admin, other = other_admin_org
    data = {"organisation": acme.pk, "text": "plante un arbre par participant"}
    for user in (employee, outsider):  # an animateur of ACME, a stranger
        client.force_login(user)
        assert client.get(form_url(promise)).status_code == 403
        assert client.post(form_url(promise), data).status_code == 403
    client.force_login(other_admin)  # may engage their own organisation, not ACME
    assert client.post(form_url(promise), data).status_code == 403
    client.logout()
    assert client.post(form_url(promise), data).status_code == 302  # to the log-in
    assert not Commitment.objects.exists()
    with pytest.raises(Refusal):
        propose(promise, acme, employee)


@pytest.fixture
def other_admin_org(db):
    admin = UserFactory(display_name="Odile")
    other = organisation_services.organisation_create(
        user=admin, name="Autre asso", kind=Organisation.Kind.ASSOCIATION
    )
    return admin, other


def test_it_takes_public_open_promises_only(client, boss, acme, initiator):
    members_only = PromiseFactory(
        created_by=boss, organisation=acme, visibility=Promise.Visibility.MEMBERS
    )
    client.force_login(boss)
    assert client.get(form_url(members_only)).status_code == 404
    with pytest.raises(Refusal, match="publique"):
        propose(members_only, acme, boss)

    reached = PromiseFactory(created_by=initiator, objective=1)
    reach(reached)
    with pytest.raises(Refusal, match="plus ouverte"):
        propose(reached, acme, boss)
    response = client.get(form_url(reached))
    assert "plus ouverte" in page_text(response)
    assert SPONSOR_LINK not in page(client, reached, boss)


def test_it_keeps_one_live_commitment_per_organisation(client, promise, boss, acme, initiator):
    first = propose(promise, acme, boss)
    with pytest.raises(Refusal, match="ACME a déjà"):
        propose(promise, acme, boss, text="donne 2 € par participant")
    client.force_login(boss)
    assert "Chacune de vos organisations a déjà un engagement" in page_text(
        client.get(form_url(promise))
    )
    # Refused, it may be proposed again, better.
    commitments.commitment_refuse(commitment=first, user=initiator)
    second = propose(promise, acme, boss, text="plante deux arbres par participant")
    assert second.state == Commitment.State.PROPOSED
    assert Commitment.objects.count() == 2


# --- The initiators decide ---------------------------------------------------------------------


def test_it_emails_the_initiators_when_one_is_proposed(smtp, promise, boss, acme, participant):
    services.pledge_create(promise=promise, user=participant)
    propose(
        promise,
        acme,
        boss,
        amount=Decimal("2"),
        cap=Decimal("500"),
        text="donne 2 € par participant à l'association X",
    )

    send_broadcast(Broadcast.objects.get(kind=COMMITMENT_PROPOSED, promise=promise).pk)

    assert [m["To"] for m in smtp.messages] == [promise.created_by.email]
    message = smtp.messages[0]
    assert message["Subject"] == "ACME propose de soutenir votre promesse"
    text, html = _body(message, "plain"), _body(message, "html")
    for body in (text, html):
        assert "Si l'objectif est atteint, " in body
        assert "donne 2 € par participant à l'association X" in body
        assert f"2{NBSP}€ par participant, 500{NBSP}€ au plus" in body
        assert "Proposé par Alice" in body
    assert promise.get_absolute_url() in text


def test_it_emails_nobody_once_nothing_waits(smtp, promise, boss, acme):
    commitment = propose(promise, acme, boss)
    commitments.commitment_withdraw(commitment=commitment, user=boss)
    send_broadcast(Broadcast.objects.get(kind=COMMITMENT_PROPOSED).pk)
    assert smtp.messages == []


def test_it_lets_the_initiators_accept_it_from_the_page(client, promise, boss, acme, initiator):
    commitment = propose(promise, acme, boss)
    assert SENTENCE not in page(client, promise)  # not before they accept it

    text = page(client, promise, initiator)
    assert "Une organisation propose de soutenir votre promesse" in text
    assert "Accepter l'engagement de ACME" in text
    response = client.post(action_url("accept", commitment))

    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    commitment.refresh_from_db()
    assert (commitment.state, commitment.decided_by) == (Commitment.State.ACCEPTED, initiator)
    assert commitment.decided_at is not None
    text = page(client, promise)  # anyone, on the next request
    assert SENTENCE in text
    assert NO_PAYMENT in text
    assert "Accepter" not in page(client, promise, initiator)


def test_it_lets_the_initiators_refuse_it(client, promise, boss, acme, initiator):
    commitment = propose(promise, acme, boss)
    client.force_login(initiator)
    assert client.post(action_url("refuse", commitment)).status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.REFUSED
    assert SENTENCE not in page(client, promise)
    assert "Une organisation propose" not in page(client, promise, initiator)
    # Decided once: a second answer changes nothing.
    client.force_login(initiator)
    client.post(action_url("accept", commitment))
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.REFUSED


def test_only_the_initiators_decide(client, promise, boss, acme, participant, moderator):
    commitment = propose(promise, acme, boss)
    for user in (boss, participant, moderator):
        client.force_login(user)
        assert client.post(action_url("accept", commitment)).status_code == 403
        assert client.post(action_url("refuse", commitment)).status_code == 403
    assert client.get(action_url("accept", commitment)).status_code == 405
    client.logout()
    response = client.post(action_url("accept", commitment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.PROPOSED


def test_it_answers_404_for_a_commitment_of_another_promise(client, promise, boss, acme, initiator):
    other = PromiseFactory(created_by=initiator)
    commitment = propose(other, acme, boss)
    client.force_login(initiator)
    url = reverse("promises:commitment_accept", args=[promise.slug, commitment.pk])
    assert client.post(url).status_code == 404
    assert client.post(f"/promesses/{promise.slug}/engagement/99999/accepter/").status_code == 404


# --- Withdrawing -------------------------------------------------------------------------------


def test_the_admin_withdraws_it_before_the_objective(client, promise, boss, acme, initiator):
    commitment = accepted(promise, acme, boss, initiator)
    client.force_login(boss)
    assert "Retirer l'engagement" in page_text(client.get(form_url(promise)))

    response = client.post(action_url("withdraw", commitment))

    assert response.status_code == 302 and response["Location"] == form_url(promise)
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.WITHDRAWN
    assert commitment.withdrawn_at is not None
    assert SENTENCE not in page(client, promise)


def test_nobody_else_withdraws_it(client, promise, boss, acme, initiator, employee):
    commitment = accepted(promise, acme, boss, initiator)
    for user in (initiator, employee):
        client.force_login(user)
        assert client.post(action_url("withdraw", commitment)).status_code == 403
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.ACCEPTED


def test_it_stays_once_the_objective_is_reached(client, promise, boss, acme, initiator):
    commitment = accepted(promise, acme, boss, initiator)
    waiting = propose(promise, *other_org(), text="offre le goûter")
    reach(promise)

    client.force_login(boss)
    response = client.post(action_url("withdraw", commitment), follow=True)
    assert "plus ouverte" in page_text(response)
    client.force_login(initiator)
    client.post(action_url("accept", waiting))
    for row, state in ((commitment, "accepted"), (waiting, "proposed")):
        row.refresh_from_db()
        assert row.state == state
    text = page(client, promise)
    assert "L'objectif est atteint : ACME plante un arbre par participant" in text
    assert "offre le goûter" not in text
    assert "offre le goûter" not in page(client, promise, initiator)


def other_org():
    admin = UserFactory(display_name="Bob")
    org = organisation_services.organisation_create(
        user=admin, name="Boulangerie", kind=Organisation.Kind.COMPANY
    )
    return org, admin


# --- Shown: the page, the reached email, the bilan -------------------------------------------


def test_the_page_shows_it_with_the_logo_and_its_figures(client, promise, boss, acme, initiator):
    Organisation.objects.filter(pk=acme.pk).update(logo_thumbnail="organisations/acme.png")
    accepted(
        promise,
        acme,
        boss,
        initiator,
        amount=Decimal("2"),
        cap=Decimal("500"),
        text="donne 2 € par participant à l'association X",
    )
    client.logout()
    html = client.get(promise.get_absolute_url()).content.decode()
    assert 'src="/media/organisations/acme.png"' in html
    text = page(client, promise)
    assert "Si l'objectif est atteint, ACME donne 2 € par participant à l'association X." in text
    assert f"2{NBSP}€ par participant, 500{NBSP}€ au plus." in text
    assert NO_PAYMENT in text


def test_a_deactivated_or_hidden_organisation_is_not_shown(client, promise, boss, acme, initiator):
    accepted(promise, acme, boss, initiator)
    assert SENTENCE in page(client, promise)
    Organisation.objects.filter(pk=acme.pk).update(is_hidden=True)
    assert SENTENCE not in page(client, promise)
    Organisation.objects.filter(pk=acme.pk).update(is_hidden=False, is_active=False)
    assert SENTENCE not in page(client, promise)


def test_the_reached_email_says_what_it_comes_to(smtp, promise, boss, acme, initiator):
    accepted(promise, acme, boss, initiator, amount=Decimal("1"), unit="arbre")
    reach(promise)  # 3 others

    send_broadcast(Broadcast.objects.get(kind=REACHED, promise=promise).pk)

    assert len(smtp.messages) == 4
    for message in smtp.messages:
        for body in (_body(message, "plain"), _body(message, "html")):
            assert "Comme promis, " in body
            assert "plante un arbre par participant" in body
            assert "3 arbres" in body
            assert "pour les 3 participants comptés" in body


def test_the_reached_email_says_nothing_without_accepted_commitments(smtp, promise, boss, acme):
    propose(promise, acme, boss)  # never accepted
    reach(promise)
    send_broadcast(Broadcast.objects.get(kind=REACHED, promise=promise).pk)
    assert smtp.messages
    for message in smtp.messages:
        assert "Comme promis" not in _body(message, "plain") + _body(message, "html")


def _finish(promise, initiator):
    services.recap_save(promise=promise, author=initiator, text="Merci !")
    services.recap_publish(promise=promise)


def test_the_bilan_says_what_it_came_to(client, initiator, boss, acme):
    promise = PromiseFactory(created_by=initiator, objective=52)
    accepted(promise, acme, boss, initiator, amount=Decimal("1"), unit="arbre")
    reach(promise, extra=2)  # 52 when it was reached, 2 on the way: not counted
    _finish(promise, initiator)

    response = client.get(reverse("promises:recap", args=[promise.slug]))

    text = page_text(response)
    assert (
        "ACME s'est engagée : « Si l'objectif est atteint, ACME plante un arbre par participant »"
        in text.replace(NBSP, " ")
    )
    assert (
        "Pour les 52 participants comptés quand l'objectif a été atteint, cela représente "
        "52 arbres." in text
    )
    assert NO_PAYMENT in text


def test_the_bilan_applies_the_cap(client, initiator, boss, acme):
    accepted_promise = PromiseFactory(created_by=initiator, objective=3)
    accepted(
        accepted_promise,
        acme,
        boss,
        initiator,
        amount=Decimal("2"),
        cap=Decimal("5"),
        text="donne 2 € par participant",
    )
    reach(accepted_promise)
    _finish(accepted_promise, initiator)
    text = page_text(client.get(reverse("promises:recap", args=[accepted_promise.slug])))
    assert f"cela représente 5{NBSP}€ (le plafond)." in text


def test_it_escapes_the_text_everywhere(client, smtp, promise, boss, acme, initiator):
    script = "<script>alert(1)</script> plante un arbre"
    commitment = propose(promise, acme, boss, text=script)
    send_broadcast(Broadcast.objects.get(kind=COMMITMENT_PROPOSED).pk)
    html = _body(smtp.messages[0], "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    client.force_login(initiator)
    raw = client.get(promise.get_absolute_url()).content.decode()
    assert "<script>alert" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    commitments.commitment_accept(commitment=commitment, user=initiator)
    client.logout()
    raw = client.get(promise.get_absolute_url()).content.decode()
    assert "<script>alert" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    client.force_login(boss)
    raw = client.get(form_url(promise)).content.decode()
    assert "<script>alert" not in raw


# --- Cached pages and queries ------------------------------------------------------------------


def test_every_change_bumps_the_promise_version(promise, boss, acme, initiator):
    with bumps(promise):
        commitment = propose(promise, acme, boss)
    with bumps(promise):
        commitments.commitment_accept(commitment=commitment, user=initiator)
    with bumps(promise):
        Organisation.objects.filter(pk=acme.pk).update(name="ACME France")
    with bumps(promise):
        Organisation.objects.filter(pk=acme.pk).update(is_hidden=True)
    with bumps(promise):
        commitments.commitment_withdraw(commitment=commitment, user=boss)


def test_a_cached_page_shows_the_change_on_the_next_request(client, promise, boss, acme, initiator):
    assert SENTENCE not in page(client, promise)
    commitment = accepted(promise, acme, boss, initiator)
    assert SENTENCE in page(client, promise)
    Organisation.objects.filter(pk=acme.pk).update(name="ACME France")
    assert "ACME France plante un arbre" in page(client, promise)
    commitments.commitment_withdraw(commitment=commitment, user=boss)
    assert "plante un arbre" not in page(client, promise)


def _queries(client, promise, user) -> int:
    from onpromet import pagecache

    pagecache.memory.clear()
    from django.core.cache import cache

    cache.clear()
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(promise.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_promise_page_costs_the_same_whatever_the_commitments(
    client, promise, boss, acme, initiator, participant
):
    services.pledge_create(promise=promise, user=participant)
    accepted(promise, acme, boss, initiator)
    one = {user: _queries(client, promise, user) for user in (None, participant, boss)}
    for n in range(4):
        org, admin = other_org()
        Organisation.objects.filter(pk=org.pk).update(slug=f"org-{n}")
        accepted(promise, org, admin, initiator, text=f"offre {n} goûters")
    five = {user: _queries(client, promise, user) for user in (None, participant, boss)}
    assert five == one
    assert "offre 3 goûters" in page(client, promise)


# --- Wording -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        ("2", "", f"2{NBSP}€"),
        ("2.5", "", f"2,50{NBSP}€"),
        ("1", "arbre", "1 arbre"),
        ("52", "arbre", "52 arbres"),
        ("1.5", "kilo de riz", "1,5 kilo de riz"),
        ("3", "kilo de riz", "3 kilos de riz"),
        ("2", "repas", "2 repas"),
        ("2", "gâteau", "2 gâteaux"),
        ("2", "arbre fruitier", "2 arbres fruitiers"),
        ("2", "journal", "2 journaux"),
        ("1500", "", f"1\u202f500{NBSP}€"),
    ],
)
def test_it_writes_quantities_in_french(value, unit, written):
    assert commitments.quantity(Decimal(value), unit) == written


def test_it_says_what_it_comes_to():
    commitment = Commitment(text="donne", amount=Decimal("2"), cap=Decimal("100"))
    assert commitments.comes_to(commitment, 10) == f"20{NBSP}€"
    assert commitments.comes_to(commitment, 60) == f"100{NBSP}€ (le plafond)"
    assert commitments.comes_to(commitment, 50) == f"100{NBSP}€"
    assert commitments.comes_to(Commitment(text="donne", cap=Decimal("100")), 10) == ""
    assert commitments.terms(Commitment(text="donne", cap=Decimal("100"))) == f"jusqu'à 100{NBSP}€"
    assert commitments.terms(Commitment(text="plante un arbre")) == ""


# --- In a real browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_proposes_and_the_initiator_accepts_in_a_browser(
    live_server, new_page, browser_errors, initiator, settings
):
    from playwright.sync_api import expect

    from promises.tests.conftest import DESKTOP, PHONE, SCREENSHOTS_DIR
    from promises.tests.test_browser_recap import logged_in_page

    settings.SITE_URL = live_server.url
    boss = UserFactory(display_name="Alice")
    acme = organisation_services.organisation_create(
        user=boss, name="ACME", kind=Organisation.Kind.COMPANY
    )
    promise = PromiseFactory(created_by=initiator, objective=52)
    url = live_server.url + promise.get_absolute_url()

    admin = logged_in_page(new_page, live_server, boss, PHONE)
    admin.goto(url)
    admin.get_by_role("link", name="Proposer un engagement").click()
    admin.get_by_label("Si l'objectif est atteint, votre organisation…").fill(
        "plante un arbre par participant"
    )
    admin.get_by_label("Quantité par participant (facultatif)").fill("1")
    admin.get_by_label("Unité (facultatif)").fill("arbre")
    admin.screenshot(path=SCREENSHOTS_DIR / "commitment-form-phone.png", full_page=True)
    admin.get_by_role("button", name="Proposer l'engagement aux initiateurs").click()
    expect(admin.get_by_text("est proposé aux initiateurs")).to_be_visible()

    lead = logged_in_page(new_page, live_server, initiator, DESKTOP)
    lead.goto(url)
    lead.screenshot(path=SCREENSHOTS_DIR / "commitment-proposed-desktop.png", full_page=True)
    lead.get_by_role("button", name="Accepter l'engagement de ACME").click()
    expect(lead.get_by_text("Engagement de ACME accepté")).to_be_visible()

    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        visitor = new_page(viewport=viewport)
        visitor.goto(url)
        expect(visitor.get_by_text("Si l'objectif est atteint,")).to_be_visible()
        expect(visitor.get_by_text("1 arbre par participant.")).to_be_visible()
        visitor.screenshot(path=SCREENSHOTS_DIR / f"commitment-shown-{name}.png", full_page=True)
    assert Commitment.objects.get(organisation=acme).state == Commitment.State.ACCEPTED
    assert browser_errors == []
