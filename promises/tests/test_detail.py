from django.urls import reverse

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Promise
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text


def test_it_shows_the_sentence_in_correct_french(client, initiator):
    promise = PromiseFactory(created_by=initiator, objective=1)
    text = page_text(client.get(promise.get_absolute_url()))
    assert (
        "Je promets d'aller nettoyer la plage de Biscarosse le samedi 8 juillet, "
        "si 1 personne le promet aussi." in text
    )


def test_it_keeps_the_apostrophe_readable_in_the_html(client, promise):
    # Searchable as typed, not as an entity.
    assert "Je promets d'aller" in client.get(promise.get_absolute_url()).content.decode()


def test_it_shows_who_started_it_when_progress_and_deadline(client, promise):
    text = page_text(client.get(promise.get_absolute_url()))
    assert "Démarrée par Arthur le" in text
    assert "0 / 3" in text
    assert "Date limite" in text
    assert "encore" in text
    assert "En cours" in text


def test_it_keeps_line_breaks_makes_links_clickable_and_escapes_html(client, initiator):
    promise = PromiseFactory(
        created_by=initiator,
        description="Rendez-vous au parking.\nInfos : https://example.org/plage\n<script>alert(1)</script>",
    )
    body = client.get(promise.get_absolute_url()).content.decode()
    assert "Rendez-vous au parking.<br>" in body
    assert (
        '<a href="https://example.org/plage" rel="nofollow">https://example.org/plage</a>' in body
    )
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_lists_participants_newest_first_and_anonymous_ones_as_anonyme(client, promise):
    services.pledge_create(promise=promise, user=UserFactory(display_name="Zoé"))
    services.pledge_create(
        promise=promise, user=UserFactory(display_name="Yann", appears_anonymously=True)
    )
    text = page_text(client.get(promise.get_absolute_url()))
    assert "Anonyme" in text
    assert "Yann" not in text
    assert text.index("Anonyme") < text.index("Zoé")


def test_it_paginates_participants(client, promise):
    promise.objective = 100
    promise.save()
    for n in range(35):
        services.pledge_create(promise=promise, user=UserFactory(display_name=f"Personne{n:02d}"))
    first = page_text(client.get(promise.get_absolute_url()))
    second = page_text(client.get(promise.get_absolute_url(), {"participants": 2}))
    assert "Personne34" in first and "Personne00" not in first
    assert "Personne00" in second and "Personne34" not in second
    assert "Page 1 sur 2" in first


def test_it_shows_each_state_in_french(client, promise):
    for state, label in [
        (Promise.State.REACHED, "Objectif atteint"),
        (Promise.State.FAILED, "Objectif non atteint"),
        (Promise.State.CANCELLED, "Annulée"),
    ]:
        Promise.objects.filter(pk=promise.pk).update(state=state)
        assert label in page_text(client.get(promise.get_absolute_url()))


def test_it_offers_je_promets_to_an_anonymous_visitor(client, promise):
    text = page_text(client.get(promise.get_absolute_url()))
    assert "Je promets" in text
    assert reverse("promises:pledge", args=[promise.slug]) in text


def test_it_offers_withdrawal_to_a_participant(client, pledged, participant):
    client.force_login(participant)
    text = page_text(client.get(pledged.get_absolute_url()))
    assert "Retirer ma promesse" in text
    assert "Abandonner" not in text
    assert ">Je promets<" not in text


def test_it_answers_404_for_an_unknown_promise(client, db):
    assert client.get("/promesses/n-existe-pas-123456/").status_code == 404


def test_it_hides_a_hidden_promise_from_the_public_with_a_notice(client, promise, outsider):
    services.promise_set_hidden(promise=promise, hidden=True)
    client.force_login(outsider)
    response = client.get(promise.get_absolute_url())
    assert response.status_code == 404
    text = page_text(response)
    assert "masquée par la modération" in text
    assert promise.action not in text


def test_it_shows_a_hidden_promise_to_its_initiator_with_the_notice(client, promise, initiator):
    services.promise_set_hidden(promise=promise, hidden=True)
    client.force_login(initiator)
    response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    assert "masquée par la modération" in page_text(response)
    assert ">Je promets<" not in page_text(response)


def test_it_shows_who_joined_on_the_way(client, promise):
    on_time = [UserFactory(display_name=f"Avant{n}") for n in range(promise.objective)]
    for user in on_time:
        services.pledge_create(promise=promise, user=user)
    services.pledge_create(promise=promise, user=UserFactory(display_name="Tardive"))
    text = page_text(client.get(promise.get_absolute_url()))
    late_line = next(line for line in text.splitlines() if "Tardive" in line)
    assert "en cours de route" in late_line
    assert "en cours de route" not in next(line for line in text.splitlines() if "Avant0" in line)
