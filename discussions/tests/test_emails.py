"""Discussion emails go through the outbox, respect preferences and never flood anyone."""

from discussions import services
from discussions.emails import INITIATOR_POST, REPLY, TOPIC_INITIATOR_POSTS, TOPIC_REPLIES
from notifications import services as outbox
from notifications.models import Broadcast
from notifications.tasks import send_broadcast


def test_it_emails_the_author_of_a_post_when_someone_replies(smtp, post, initiator, participant):
    services.comment_create(post=post, author=initiator, text="Oui, 9 h devant le poste.")
    send_broadcast(Broadcast.objects.get(kind=REPLY).pk)
    assert list(smtp.recipients) == [participant.email]
    message = smtp.messages[0]
    assert message["Subject"] == "Arthur a répondu à votre message"
    assert "Oui, 9 h devant le poste." in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_respects_an_author_who_turned_replies_off(smtp, post, initiator, participant):
    outbox.topic_set(user=participant, topic=TOPIC_REPLIES, cadence="never")
    services.comment_create(post=post, author=initiator, text="Oui !")
    send_broadcast(Broadcast.objects.get(kind=REPLY).pk)
    assert smtp.messages == []


def test_it_emails_initiator_posts_only_to_participants_who_asked(
    smtp, pledged, initiator, participant
):
    from accounts.tests.factories import UserFactory
    from promises import services as promise_services

    quiet = UserFactory()
    promise_services.pledge_create(promise=pledged, user=quiet)
    outbox.topic_set(user=participant, topic=TOPIC_INITIATOR_POSTS, cadence="immediate")

    services.post_create(promise=pledged, author=initiator, text="Le lieu change : plage sud.")
    send_broadcast(Broadcast.objects.get(kind=INITIATOR_POST).pk)

    assert list(smtp.recipients) == [participant.email]  # not `quiet`, not the initiator
    assert "plage sud" in smtp.messages[0].get_body(("plain",)).get_content()


def test_a_participants_post_waits_for_the_initiators_daily_digest(smtp, pledged, participant):
    services.post_create(promise=pledged, author=participant, text="Hâte d'y être !")
    broadcast = Broadcast.objects.get()
    assert broadcast.kind == "participant_post"
    send_broadcast(broadcast.pk)
    # The initiators' "activity" topic comes once a day by default: nothing sent now, one
    # delivery waiting for the initiator (not for the author).
    assert smtp.messages == []
    assert list(broadcast.deliveries.values_list("user__email", "status")) == [
        (pledged.pledges.initiators().get().user.email, "held")
    ]


def test_it_also_tells_those_who_replied_before(smtp, post, initiator, participant):
    from accounts.tests.factories import UserFactory
    from promises import services as promise_services

    third = UserFactory(display_name="Théo")
    promise_services.pledge_create(promise=post.promise, user=third)
    services.comment_create(post=post, author=initiator, text="Oui, 9 h.")
    services.comment_create(post=post, author=third, text="J'apporte les sacs.")

    for broadcast in Broadcast.objects.filter(kind=REPLY):
        send_broadcast(broadcast.pk)
    by_subject = {(str(m["To"]), m["Subject"]) for m in smtp.messages}
    assert by_subject == {
        (participant.email, "Arthur a répondu à votre message"),
        (participant.email, "Théo a répondu à votre message"),
        (initiator.email, "Théo a aussi répondu dans la discussion"),
    }
