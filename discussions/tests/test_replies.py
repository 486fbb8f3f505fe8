import pytest
from django.urls import reverse

from discussions.emails import REPLY
from discussions.models import Comment
from notifications.models import Broadcast
from promises.tests.helpers import page_text


def reply_url(post):
    return reverse("discussions:comment_create", args=[post.promise.slug, post.pk])


@pytest.mark.parametrize("who", ["initiator", "participant"])
def test_it_lets_people_taking_part_reply(as_user, post, who):
    client = as_user(who)
    response = client.post(reply_url(post), {"text": "Oui, 9 h c'est parfait."})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#reponse-{comment.pk}")
    assert "Oui, 9 h c'est parfait." in page_text(client.get(post.promise.get_absolute_url()))


@pytest.mark.parametrize("who", ["outsider", "withdrawn"])
def test_it_refuses_replies_from_others(as_user, post, withdrawn, who):
    assert as_user(who).post(reply_url(post), {"text": "Coucou"}).status_code == 403
    assert not Comment.objects.exists()


def test_it_refuses_an_empty_reply_in_french(as_user, post):
    response = as_user("initiator").post(reply_url(post), {"text": "  "})
    assert response.status_code == 200
    assert "Écrivez votre réponse." in page_text(response)


def test_it_tells_the_author_of_the_post_through_the_outbox(as_user, post, participant):
    as_user("initiator").post(reply_url(post), {"text": "Oui !"})
    broadcast = Broadcast.objects.get(kind=REPLY)
    assert broadcast.recipient == participant
    assert broadcast.comment == Comment.objects.get()


def test_it_does_not_tell_authors_of_their_own_replies(as_user, post):
    as_user("participant").post(reply_url(post), {"text": "Je précise : devant le poste."})
    assert not Broadcast.objects.filter(kind=REPLY).exists()
