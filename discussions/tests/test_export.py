"""The discussions' sections of the data export: one's posts (with photos), replies and
reports made; never the replies of others, nor the reports about one's content."""

from accounts.export import SECTIONS
from accounts.tests.factories import UserFactory
from discussions import services
from discussions.models import Report
from onpromet.photos import process_photo
from onpromet.tests.images import image_upload
from promises import services as promise_services


def collect(key, user):
    return SECTIONS[key].collect(user)


def test_posts_come_with_their_photo_and_a_count_of_replies(pledged, participant, initiator):
    post = services.post_create(
        promise=pledged, author=participant, text="Fait", photo=process_photo(image_upload())
    )
    services.comment_create(post=post, author=initiator, text="Bravo Paula, texte d'Arthur")
    part = collect("posts", participant)
    [record] = part.data
    assert record["réponses reçues"] == 1
    assert [name for name, _ in part.files] == [record["photo"]]
    assert record["photo"].startswith("photos/")
    assert "texte d'Arthur" not in str(part.data)
    assert collect("replies", participant).data == []
    assert [r["réponse"] for r in collect("replies", initiator).data] == [
        "Bravo Paula, texte d'Arthur"
    ]


def test_reports_are_those_made_not_those_received(pledged, participant, initiator):
    post = services.post_create(promise=pledged, author=participant, text="Mon message")
    services.report_create(
        reporter=initiator, content=post, reason=Report.Reason.ABUSE, details="Par Arthur"
    )
    assert collect("reports", participant).data == []
    [report] = collect("reports", initiator).data
    assert report["contenu signalé"] == "message"
    assert report["adresse"] == post.get_absolute_url()
    assert "Mon message" not in str(report)


def test_a_reported_content_deleted_since_has_no_address(pledged, participant):
    other = UserFactory()
    promise_services.pledge_create(promise=pledged, user=other)
    post = services.post_create(promise=pledged, author=other, text="Publicité")
    services.report_create(reporter=participant, content=post, reason=Report.Reason.SPAM)
    services.post_delete(post=post)
    [report] = collect("reports", participant).data
    assert report["adresse"] == ""
