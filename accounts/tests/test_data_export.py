"""« Télécharger mes données »: the request (one a day), the archive built by the worker with
everything about the person and nothing about anyone else, the email, the download for its
owner only, expiry and deletion by the beat, and a request made while Redis is down."""

import datetime
import io
import json
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import export, tasks
from accounts.models import DataExport
from accounts.tests.factories import UserFactory
from discussions import services as discussion_services
from discussions.models import Report
from onpromet.photos import process_photo
from onpromet.site_url import absolute
from onpromet.tests.images import image_upload
from promises import services
from promises.models import Pledge
from promises.sharing import Arrival
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import page_text

# What belongs to others, and must never be in Alice's archive.
BOB_POST = "Le message que Bob a écrit"
BOB_REPLY = "La réponse de Bob au message d'Alice"
BOB_REPORT = "Le signalement de Bob sur Alice"
ERIN_REASON = "La raison d'abandon d'Erin"
CAROL_POST = "Carole raconte sa matinée"


@pytest.fixture
def cast(db):
    """Alice, whose archive it is: she leads a promise (with news and a photo), pledged to
    Bob's through his link, posted a photo there, replied to Bob and reported Carole. Others
    reply to her, report her post, came through her link (Carole, and Dave anonymously), and
    pledge beside her (Erin, who abandons)."""
    alice = UserFactory(email="alice@example.org", display_name="Alice Dupont")
    EmailAddress.objects.create(user=alice, email="alice.pro@example.org", verified=False)
    bob = UserFactory(email="bob@example.org", display_name="Bob Martin")
    carol = UserFactory(email="carole@example.org", display_name="Carole")
    dave = UserFactory(
        email="dave@example.org", display_name="Dave Secret", appears_anonymously=True
    )
    erin = UserFactory(email="erin@example.org", display_name="Erin Cachée")

    hers = PromiseFactory(created_by=alice, action="planter des haies au parc", objective=2)
    news = services.update_create(
        promise=hers,
        author=alice,
        text="Les pelles sont arrivées.",
        photo=process_photo(image_upload(color=(10, 200, 30))),
    )
    alice_pledge = Pledge.objects.get(promise=hers, user=alice)
    for person in (carol, dave):
        services.pledge_create(
            promise=hers, user=person, arrival=Arrival(Pledge.Source.LINK, alice_pledge.pk)
        )
    hers.refresh_from_db()

    bobs = PromiseFactory(created_by=bob, action="ramasser les déchets du canal", objective=5)
    bob_pledge = Pledge.objects.get(promise=bobs, user=bob)
    services.pledge_create(
        promise=bobs, user=alice, arrival=Arrival(Pledge.Source.LINK, bob_pledge.pk)
    )
    services.pledge_create(promise=bobs, user=erin)
    Pledge.objects.filter(promise=bobs, user=erin).update(abandon_reason=ERIN_REASON)
    services.pledge_create(promise=bobs, user=carol)

    bob_post = discussion_services.post_create(promise=bobs, author=bob, text=BOB_POST)
    alice_reply = discussion_services.comment_create(
        post=bob_post, author=alice, text="Alice répond : je viens avec des sacs."
    )
    alice_post = discussion_services.post_create(
        promise=bobs,
        author=alice,
        text="Alice montre sa récolte.",
        photo=process_photo(image_upload(color=(30, 30, 220))),
    )
    discussion_services.comment_create(post=alice_post, author=bob, text=BOB_REPLY)
    discussion_services.report_create(
        reporter=bob, content=alice_post, reason=Report.Reason.OTHER, details=BOB_REPORT
    )
    carol_post = discussion_services.post_create(promise=bobs, author=carol, text=CAROL_POST)
    alice_report = discussion_services.report_create(
        reporter=alice, content=carol_post, reason=Report.Reason.SPAM, details="Alice : pub ?"
    )
    from django.http import QueryDict

    from promises import alerts

    alerts.alert_create(user=alice, data=QueryDict("q=haies"))
    alerts.alert_create(user=bob, data=QueryDict("q=BobCherche"))
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "erin": erin,
        "hers": hers,
        "bobs": bobs,
        "news": news,
        "alice_post": alice_post,
        "alice_reply": alice_reply,
        "alice_report": alice_report,
    }


def built(user) -> DataExport:
    """A request of `user`, built by the task as a worker runs it."""
    data_export = DataExport.objects.create(user=user)
    assert tasks.build_data_export(data_export.pk) is True
    data_export.refresh_from_db()
    return data_export


def members(data_export: DataExport) -> dict[str, bytes]:
    with data_export.file.open("rb") as opened, zipfile.ZipFile(opened) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- The archive --------------------------------------------------------------------------


def test_it_puts_everything_about_the_person_in_the_archive(cast):
    alice = cast["alice"]
    files = members(built(alice))
    data = json.loads(files[export.JSON_NAME])

    assert [a["alerte"] for a in data["alerts"]] == ["« haies »"]
    assert b"BobCherche" not in b"".join(files.values())
    assert data["profile"]["adresse e-mail"] == "alice@example.org"
    assert data["profile"]["nom affiché"] == "Alice Dupont"
    assert {a["adresse"]: a["confirmée"] for a in data["addresses"]} == {
        "alice@example.org": True,
        "alice.pro@example.org": False,
    }
    assert data["preferences"] and all(
        set(p) == {"sujet", "fréquence"} and p["fréquence"] for p in data["preferences"]
    )
    pledges = {p["promesse"]: p for p in data["pledges"]}
    assert pledges[cast["hers"].sentence]["initiateur"] is True
    bobs = pledges[cast["bobs"].sentence]
    assert bobs["initiateur"] is False and bobs["statut"] == "active"
    assert bobs["promis le"] and bobs["comptée depuis"]
    assert bobs["état de la promesse"] == "en cours"

    [post] = data["posts"]
    assert post["message"] == "Alice montre sa récolte."
    assert post["réponses reçues"] == 1  # a count of Bob's reply, not its text
    assert post["photo"] == f"photos/message-{cast['alice_post'].pk}.webp"
    [reply] = data["replies"]
    assert reply["réponse"] == "Alice répond : je viens avec des sacs."
    assert reply["adresse"] == cast["alice_reply"].get_absolute_url()
    [news] = data["news"]
    assert news["nouvelle"] == "Les pelles sont arrivées."
    assert news["photo"] == f"photos/nouvelle-{cast['news'].pk}.webp"
    [report] = data["reports"]
    assert report["contenu signalé"] == "message"
    assert report["précisions"] == "Alice : pub ?"
    assert report["raison"] == "Publicité ou spam"
    assert data["organisations"] == {"membre de": [], "invitations envoyées": []}

    referrals = {r["promesse"]: r for r in data["referrals"]}
    mine = referrals[cast["hers"].sentence]
    alice_pledge = Pledge.objects.get(promise=cast["hers"], user=alice)
    assert mine["votre lien de partage"].endswith(f"/{alice_pledge.share_token}/")
    assert mine["personnes venues par votre lien"] == 2
    assert sorted(mine["leurs noms publics"]) == ["Anonyme", "Carole"]
    assert referrals[cast["bobs"].sentence]["vous êtes venu par"] == "le lien d'un participant"

    # The photos, as files, byte for byte.
    with cast["alice_post"].photo.open("rb") as photo:
        assert files[post["photo"]] == photo.read()
    with cast["news"].photo.open("rb") as photo:
        assert files[news["photo"]] == photo.read()
    assert sorted(name for name in files if name.startswith("photos/")) == sorted(
        [post["photo"], news["photo"]]
    )


def test_it_writes_a_readable_french_summary(cast):
    cast["alice"].display_name = "Alice <script>alert(1)</script>"
    cast["alice"].save()
    html = members(built(cast["alice"]))[export.HTML_NAME].decode()
    for heading in (
        "Profil",
        "Adresses e-mail",
        "Préférences d&#x27;e-mails",
        "Mes promesses",
        "Messages dans les discussions",
        "Réponses",
        "Nouvelles publiées",
        "Signalements faits",
        "Organisations",
        "Partages",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Alice montre sa récolte." in html
    assert "<script>" not in html
    assert "Alice &lt;script&gt;" in html
    assert "oui" in html  # booleans in words, not True/False
    assert "True" not in html


def test_it_holds_nothing_about_anyone_else(cast):
    files = members(built(cast["alice"]))
    everything = b"".join(files.values()).decode("utf-8", errors="ignore")
    for other in (cast["bob"], cast["carol"], cast["dave"], cast["erin"]):
        assert other.email not in everything
    for secret in (
        "Bob Martin",
        "Dave Secret",
        "Erin Cachée",
        BOB_POST,
        BOB_REPLY,
        BOB_REPORT,
        ERIN_REASON,
        CAROL_POST,
    ):
        assert secret not in everything, secret
    # Nor others' share tokens.
    for pledge in Pledge.objects.exclude(user=cast["alice"]):
        assert pledge.share_token not in everything


def test_an_empty_account_has_every_section_empty_but_its_profile(db):
    newcomer = UserFactory(email="nouveau@example.org")
    data = json.loads(members(built(newcomer))[export.JSON_NAME])
    assert data["profile"]["adresse e-mail"] == "nouveau@example.org"
    for key in ("pledges", "posts", "replies", "news", "reports", "referrals", "commitments"):
        assert data[key] == [], key
    assert data["organisations"] == {"membre de": [], "invitations envoyées": []}


def test_the_archive_is_stored_privately_not_in_media(cast, settings):
    data_export = built(cast["alice"])
    path = Path(data_export.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        data_export.file.url  # noqa: B018 (no public address)


def test_the_registry_refuses_a_section_twice():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        export.register(export.Section("profile", "Profil", 1, lambda user: export.Part({})))


def test_a_section_registered_later_is_in_the_archive(cast):
    section = export.Section(
        "later", "Plus tard", 500, lambda user: export.Part([{"recherche": "vélo"}])
    )
    export.register(section)
    try:
        files = members(built(cast["alice"]))
    finally:
        del export.SECTIONS["later"]
    assert json.loads(files[export.JSON_NAME])["later"] == [{"recherche": "vélo"}]
    assert "<h2>Plus tard</h2>" in files[export.HTML_NAME].decode()


# --- The task and its email ---------------------------------------------------------------


def test_it_emails_the_owner_a_link_for_them_alone(cast):
    data_export = built(cast["alice"])
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "archive" in message.subject
    link = absolute(reverse("accounts:data_download", args=[data_export.token]))
    html = message.alternatives[0].content
    assert link in message.body and link in html
    assert "connecté à votre compte" in message.body
    assert data_export.expires_at - data_export.ready_at == datetime.timedelta(days=7)


def test_the_task_is_safe_to_run_twice(cast):
    data_export = built(cast["alice"])
    name = data_export.file.name
    assert tasks.build_data_export(data_export.pk) is False
    data_export.refresh_from_db()
    assert data_export.file.name == name
    assert len(mail.outbox) == 1
    assert tasks.build_data_export(999_999) is False  # deleted since: nothing


def test_a_build_interrupted_before_its_commit_is_rebuilt_in_place(cast):
    data_export = DataExport.objects.create(user=cast["alice"])
    storage = data_export.file.storage
    leftover = f"exports/{data_export.token}.zip"
    storage.save(leftover, io.BytesIO(b"half-written"))
    assert tasks.build_data_export(data_export.pk)
    data_export.refresh_from_db()
    assert data_export.file.name == leftover
    assert export.JSON_NAME in members(data_export)


# --- The page and the download ------------------------------------------------------------


def test_the_page_explains_the_archive_and_offers_the_button(client, cast):
    client.force_login(cast["alice"])
    text = page_text(client.get(reverse("accounts:data")))
    assert "Télécharger mes données" in text
    assert "Préparer mon archive" in text
    assert "photos" in text and "7 jours" in text


def test_the_profile_links_to_the_page(client, cast):
    client.force_login(cast["alice"])
    assert reverse("accounts:data") in client.get(reverse("accounts:profile")).content.decode()


def test_it_takes_one_request_a_day(client, cast, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(datetime.datetime(2027, 3, 9, 10, 0, tzinfo=datetime.UTC)),
        mock.patch.object(tasks.build_data_export, "apply_async") as enqueue,
    ):
        client.force_login(cast["alice"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:data"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:data")
        assert "en préparation" in page_text(client.get(reverse("accounts:data")))
        enqueue.assert_called_once()

        again = client.post(reverse("accounts:data"), follow=True)
        text = page_text(again)
        assert "déjà demandé une archive aujourd'hui" in text
        assert "mercredi 10 mars 2027" in text
        assert "Préparer mon archive" not in text
        assert DataExport.objects.filter(user=cast["alice"]).count() == 1
        assert enqueue.call_count == 1

    with (
        time_machine.travel(datetime.datetime(2027, 3, 10, 8, 0, tzinfo=datetime.UTC)),
        mock.patch.object(tasks.build_data_export, "apply_async"),
    ):
        client.force_login(cast["alice"])
        client.post(reverse("accounts:data"))
        assert DataExport.objects.filter(user=cast["alice"]).count() == 2


def test_the_owner_downloads_the_archive(client, cast):
    data_export = built(cast["alice"])
    client.force_login(cast["alice"])
    text = page_text(client.get(reverse("accounts:data")))
    assert "Prête" in text and data_export.get_absolute_url() in text

    response = client.get(data_export.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert export.JSON_NAME in archive.namelist()


def test_nobody_else_reaches_the_archive(client, cast):
    data_export = built(cast["alice"])
    url = data_export.get_absolute_url()

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    client.force_login(cast["bob"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("accounts:data_download", args=["faux-jeton"])).status_code == 404
    assert url not in client.get(reverse("accounts:data")).content.decode()


def test_an_archive_not_built_yet_is_not_found(client, cast):
    data_export = DataExport.objects.create(user=cast["alice"])
    client.force_login(cast["alice"])
    assert client.get(data_export.get_absolute_url()).status_code == 404


def test_it_expires_after_seven_days_then_the_beat_deletes_it(client, cast):
    data_export = built(cast["alice"])
    path = Path(data_export.file.path)
    assert path.exists()
    client.force_login(cast["alice"])

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(data_export.get_absolute_url()).status_code == 200
        assert tasks.data_exports_sweep()["deleted"] == 0

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        gone = client.get(data_export.get_absolute_url())
        assert gone.status_code == 410
        assert "plus disponible" in page_text(gone)
        assert "Expirée" in page_text(client.get(reverse("accounts:data")))

        assert tasks.data_exports_sweep()["deleted"] == 1
        assert not path.exists()
        assert not DataExport.objects.filter(pk=data_export.pk).exists()
        assert client.get(data_export.get_absolute_url()).status_code == 404


def test_a_request_made_while_redis_is_down_is_built_by_the_beat(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast["alice"])
    with (
        mock.patch.object(
            tasks.build_data_export, "apply_async", side_effect=OSError("Redis down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("accounts:data"))
    assert response.status_code == 302
    data_export = DataExport.objects.get(user=cast["alice"])
    assert not data_export.is_ready
    assert mail.outbox == []

    def run_now(args, **kwargs):
        tasks.build_data_export(*args)

    with mock.patch.object(tasks.build_data_export, "apply_async", side_effect=run_now):
        # Just made: the worker may still be on it.
        assert tasks.data_exports_sweep()["enqueued"] == 0
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
            assert tasks.data_exports_sweep()["enqueued"] == 1
            assert tasks.data_exports_sweep()["enqueued"] == 0
    data_export.refresh_from_db()
    assert data_export.is_ready
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_the_page_has_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    for _ in range(3):
        built(cast["alice"])
    client.force_login(cast["alice"])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:data")).status_code == 200


def test_the_page_is_for_members(client, db):
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("accounts:data")).status_code == 302
    assert not DataExport.objects.exists()


def test_it_refuses_other_methods(client, cast):
    client.force_login(cast["alice"])
    assert client.put(reverse("accounts:data")).status_code == 405
