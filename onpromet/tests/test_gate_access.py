"""Gate 6, the access control matrix: for every URL that changes something or shows something
private, one row says what each kind of visitor gets, and every cell is checked. A URL added
later is covered by adding a row (admin changelists are found on their own).

Then: POST-only URLs refuse GET (405), confirmation pages change nothing on GET, and no
state-changing POST is accepted without a CSRF token, the one-click unsubscribe excepted."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.export import data_export_build
from accounts.models import DataExport, User
from accounts.services import MODERATION_GROUP
from accounts.tests.factories import PASSWORD
from discussions.models import Comment, Report
from discussions.models import Post as DiscussionPost
from notifications import views as notification_views
from notifications.emails import unsubscribe_token
from notifications.kinds import topics
from notifications.models import EmailPreference
from onpromet.tests import access_rows_commitments, access_rows_organisations, access_rows_reports
from onpromet.tests.access import (
    ADMIN_HOME,
    ADMIN_LOGIN,
    FORBIDDEN,
    IGNORED,
    INITIATOR_AND_STAFF,
    INITIATOR_ONLY,
    LOGIN,
    MEMBERS_AND_ANONYMOUS,
    MEMBERS_ONLY,
    NOT_FOUND,
    OK,
    PARTICIPANT_ONLY,
    SIGNUP,
    STAFF_ONLY,
    SUPERUSER_ONLY,
    VISITORS,
    Row,
    World,
    _admin_urls,
    _cells,
    _open_url,
    _pledge_status,
    _recap_draft,
    failed_promise,
    finished_promise,
    promise_data,
    stored,
)
from promises.emails import TOPIC_ACTION
from promises.models import Invitation, Pledge, Promise, Recap, Update

# The world (onpromet/tests/access.py) is built once per module; each test is rolled back.
pytestmark = pytest.mark.django_db

# --- The action: co-initiators, news, agenda, kept promises, relaunch ----------------------


def invitation_url(w: World) -> str:
    invitation = Invitation.objects.filter(promise=w.open).first() or Invitation.objects.create(
        promise=w.open, email="elsa@example.org", invited_by=w.users["initiator"]
    )
    return reverse("promises:invitation", args=[w.open.slug, invitation.token])


def _with_action_date(w: World) -> str:
    Promise.objects.filter(pk=w.open.pk).update(action_date=datetime.date(2027, 7, 10))
    return reverse("promises:agenda", args=[w.open.slug])


def _is_initiator(w: World, promise: Promise, visitor: str) -> bool:
    return Pledge.objects.filter(
        promise=promise, user=w.users[visitor], is_initiator=True, status=Pledge.Status.ACTIVE
    ).exists()


def _reached_url(name: str) -> Callable[[World], str]:
    """`name` is "app:view" or a view of promises."""
    name = name if ":" in name else f"promises:{name}"
    return lambda w: reverse(name, args=[w.reached.slug])


KEEPERS = _cells(anonymous=LOGIN, others=FORBIDDEN, participant=OK, initiator=OK)

ACTION_ROWS = [
    Row("initiators page", "GET", _open_url("initiators"), INITIATOR_ONLY),
    Row(
        "invite a co-initiator",
        "POST",
        _open_url("initiators"),
        INITIATOR_ONLY,
        data=lambda w: {"email": "elsa@example.org"},
        to=_open_url("initiators"),
        done=lambda w, visitor: Invitation.objects.filter(email="elsa@example.org").exists(),
    ),
    Row("leave confirmation", "GET", _open_url("leave"), INITIATOR_ONLY),
    Row(
        # The only initiator: refused, and told so on the initiators page.
        "leave",
        "POST",
        _open_url("leave"),
        INITIATOR_ONLY,
        to=_open_url("initiators"),
        done=lambda w, visitor: _is_initiator(w, w.open, visitor),
    ),
    Row("invitation", "GET", invitation_url, MEMBERS_ONLY),
    Row(
        # The link is the credential: any member who holds it may accept it (an initiator is
        # told they already lead).
        "accept an invitation",
        "POST",
        invitation_url,
        MEMBERS_ONLY,
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: _is_initiator(w, w.open, visitor),
    ),
    Row("news", "GET", _open_url("updates"), _cells(anonymous=OK, others=OK)),
    Row(
        "post news",
        "POST",
        _open_url("updates"),
        INITIATOR_ONLY,
        data=lambda w: {"text": "Rendez-vous à 9 h."},
        to=_open_url("updates"),
        done=lambda w, visitor: Update.objects.filter(promise=w.open).exists(),
    ),
    Row("agenda", "GET", _with_action_date, _cells(anonymous=OK, others=OK)),
    Row("keep form", "GET", _reached_url("discussions:keep"), KEEPERS),
    Row(
        "keep",
        "POST",
        _reached_url("discussions:keep"),
        KEEPERS,
        data=lambda w: {"comment": "Fait !"},
        to=lambda w: w.reached.get_absolute_url(),
        done=lambda w, visitor: (
            Pledge.objects.get(promise=w.reached, user=w.users[visitor]).kept_at is not None
        ),
    ),
    Row(
        "relaunch form",
        "GET",
        lambda w: reverse("promises:relaunch", args=[failed_promise(w).slug]),
        INITIATOR_ONLY,
    ),
    Row(
        "relaunch",
        "POST",
        lambda w: reverse("promises:relaunch", args=[failed_promise(w).slug]),
        INITIATOR_ONLY,
        data=promise_data,
        to=lambda w: Promise.objects.latest("created_at").get_absolute_url(),
        done=lambda w, visitor: Promise.objects.filter(relaunched_from__isnull=False).exists(),
    ),
    Row(
        "news of a hidden promise",
        "GET",
        lambda w: reverse("promises:updates", args=[w.hidden.slug]),
        INITIATOR_AND_STAFF,
    ),
]

# --- The bilan (recap) -----------------------------------------------------------------------


def _recap_url(name: str, promise: Callable[[World], Promise]) -> Callable[[World], str]:
    return lambda w: reverse(f"promises:{name}", args=[promise(w).slug])


RECAP_ROWS = [
    Row(
        # Before publication, the bilan exists for its initiators only.
        "recap draft",
        "GET",
        _recap_url("recap", _recap_draft),
        _cells(anonymous=NOT_FOUND, others=NOT_FOUND, initiator=OK),
    ),
    Row("published recap", "GET", _recap_url("recap", finished_promise), MEMBERS_AND_ANONYMOUS),
    Row("recap form", "GET", _recap_url("recap_edit", _recap_draft), INITIATOR_ONLY),
    Row(
        "recap write",
        "POST",
        _recap_url("recap_edit", lambda w: w.reached),
        INITIATOR_ONLY,
        data=lambda w: {"text": "Nous l'avons fait."},
        to=lambda w: reverse("promises:recap", args=[w.reached.slug]),
        done=lambda w, visitor: Recap.objects.filter(
            promise=w.reached, text="Nous l'avons fait."
        ).exists(),
    ),
    Row(
        "recap correction",
        "POST",
        _recap_url("recap_edit", finished_promise),
        INITIATOR_ONLY,
        data=lambda w: {"text": "Corrigé"},
        to=lambda w: reverse("promises:recap", args=[finished_promise(w).slug]),
        done=lambda w, visitor: Recap.objects.filter(text="Corrigé").exists(),
    ),
    Row(
        "recap publish confirmation",
        "GET",
        _recap_url("recap_publish", _recap_draft),
        INITIATOR_ONLY,
    ),
    Row(
        "recap publish",
        "POST",
        _recap_url("recap_publish", _recap_draft),
        INITIATOR_ONLY,
        to=lambda w: reverse("promises:recap", args=[w.reached.slug]),
        done=lambda w, visitor: (
            Promise.objects.get(pk=w.reached.pk).state == Promise.State.FINISHED
        ),
    ),
]

# --- The discussion: posts, replies, edit, delete, pin, report ------------------------------


def _post_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"discussions:{name}", args=[w.open.slug, w.post.pk])


def _report_url(w: World) -> str:
    return reverse("discussions:report", args=["message", w.post.pk])


def _latest_post_url(w: World) -> str:
    return DiscussionPost.objects.latest("pk").get_absolute_url()


# Active participants and initiators write (a moderator who has not pledged does not).
WRITERS = KEEPERS
# The post is the participant's: they edit it (within 15 minutes) and delete it.
AUTHOR_ONLY = PARTICIPANT_ONLY
AUTHOR_AND_MODERATOR = _cells(
    anonymous=LOGIN, others=FORBIDDEN, participant=OK, moderator=OK, superuser=OK
)
# Anyone logged in reports, except the author.
REPORTERS = _cells(anonymous=LOGIN, others=OK, participant=FORBIDDEN)

DISCUSSION_ROWS = [
    Row(
        "new post",
        "POST",
        lambda w: reverse("discussions:post_create", args=[w.open.slug]),
        WRITERS,
        data=lambda w: {"text": "J'apporte des gants."},
        to=_latest_post_url,
        done=lambda w, visitor: DiscussionPost.objects.filter(
            author=w.users[visitor], text="J'apporte des gants."
        ).exists(),
    ),
    Row(
        "reply",
        "POST",
        _post_url("comment_create"),
        WRITERS,
        data=lambda w: {"text": "Oui, 9 h c'est parfait."},
        to=lambda w: Comment.objects.latest("pk").get_absolute_url(),
        done=lambda w, visitor: Comment.objects.filter(
            post=w.post, author=w.users[visitor]
        ).exists(),
    ),
    Row("post edit form", "GET", _post_url("post_edit"), AUTHOR_ONLY),
    Row(
        "post edit",
        "POST",
        _post_url("post_edit"),
        AUTHOR_ONLY,
        data=lambda w: {"text": "Plutôt 9 h 30."},
        to=lambda w: w.post.get_absolute_url(),
        done=lambda w, visitor: DiscussionPost.objects.get(pk=w.post.pk).text == "Plutôt 9 h 30.",
    ),
    Row("post delete confirmation", "GET", _post_url("post_delete"), AUTHOR_AND_MODERATOR),
    Row(
        "post delete",
        "POST",
        _post_url("post_delete"),
        AUTHOR_AND_MODERATOR,
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: not DiscussionPost.objects.filter(pk=w.post.pk).exists(),
    ),
    Row(
        "post pin",
        "POST",
        _post_url("post_pin"),
        INITIATOR_ONLY,
        to=lambda w: w.post.get_absolute_url(),
        done=lambda w, visitor: DiscussionPost.objects.get(pk=w.post.pk).is_pinned,
    ),
    Row("report form", "GET", _report_url, REPORTERS),
    Row(
        "report",
        "POST",
        _report_url,
        REPORTERS,
        data=lambda w: {"reason": Report.Reason.SPAM, "details": "Publicité."},
        to=lambda w: w.post.get_absolute_url(),
        done=lambda w, visitor: Report.objects.filter(
            reporter=w.users[visitor], object_id=w.post.pk
        ).exists(),
    ),
]

# --- The admin: accounts, groups and permissions ------------------------------------------
# A moderator moderates ordinary accounts; a superuser manages everything, staff included.
# (Permissions have no admin page of their own: they are fields of users and groups.)

MODERATOR_IGNORED = _cells(
    anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, moderator=IGNORED, superuser=OK
)
STAFF_ACCOUNT = _cells(
    anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, moderator=ADMIN_HOME, superuser=OK
)
NOBODY_IN_THE_ADMIN = _cells(
    anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, moderator=FORBIDDEN, superuser=FORBIDDEN
)
NEW_PASSWORD = "Un-autre-mot-2028!"


def _participant_export_url(w: World) -> str:
    """The participant's archive, built (made by the row's URL, before stored() is read)."""
    data_export = DataExport.objects.filter(user=w.users["participant"]).first()
    if data_export is None:
        data_export = DataExport.objects.create(user=w.users["participant"])
        data_export_build(export_id=data_export.pk)
    return reverse("accounts:data_download", args=[data_export.token])


def _account(w: World, who: str = "participant") -> User:
    return User.objects.get(pk=w.users[who].pk)


def _user_url(view: str, who: str = "participant") -> Callable[[World], str]:
    # (Django names the password form after auth's own user model.)
    name = "auth_user_password_change" if view == "password" else f"accounts_user_{view}"
    return lambda w: reverse(f"admin:{name}", args=[w.users[who].pk])


def _users(w: World) -> str:
    return reverse("admin:accounts_user_changelist")


def _account_form(w: World, who: str = "participant", **changes) -> dict:
    """The account as the superuser's form shows it, with `changes`; a moderator's form takes
    only the display name and ignores the rest."""
    user = _account(w, who)
    data = {"email": user.email, "display_name": user.display_name, "is_active": "on"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def _moderation_group() -> Group:
    return Group.objects.get(name=MODERATION_GROUP)


def _field_row(name: str, changes: Callable[[World], dict], done) -> Row:
    return Row(
        f"admin user field {name}",
        "POST",
        _user_url("change"),
        MODERATOR_IGNORED,
        data=lambda w: _account_form(w, **changes(w)),
        to=_users,
        done=lambda w, visitor: done(_account(w)),
    )


ADMIN_ROWS = [
    Row("admin user page", "GET", _user_url("change"), STAFF_ONLY),
    Row("admin user history", "GET", _user_url("history"), STAFF_ONLY),
    Row(
        "admin user field display_name",
        "POST",
        _user_url("change"),
        STAFF_ONLY,
        data=lambda w: _account_form(w, display_name="Nom modéré"),
        to=_users,
        done=lambda w, visitor: _account(w).display_name == "Nom modéré",
    ),
    _field_row(
        "email",
        lambda w: {"email": "pirate@example.org"},
        lambda u: u.email == "pirate@example.org",
    ),
    _field_row("is_active", lambda w: {"is_active": None}, lambda u: not u.is_active),
    _field_row(
        "appears_anonymously",
        lambda w: {"appears_anonymously": "on"},
        lambda u: u.appears_anonymously,
    ),
    _field_row("is_staff", lambda w: {"is_staff": "on"}, lambda u: u.is_staff),
    _field_row("is_superuser", lambda w: {"is_superuser": "on"}, lambda u: u.is_superuser),
    _field_row(
        "groups",
        lambda w: {"groups": [_moderation_group().pk]},
        lambda u: u.groups.filter(name=MODERATION_GROUP).exists(),
    ),
    _field_row(
        "user_permissions",
        lambda w: {"user_permissions": [Permission.objects.get(codename="delete_user").pk]},
        lambda u: u.user_permissions.filter(codename="delete_user").exists(),
    ),
    Row("admin user password form", "GET", _user_url("password"), SUPERUSER_ONLY),
    Row(
        "admin user password",
        "POST",
        _user_url("password"),
        SUPERUSER_ONLY,
        data=lambda w: {
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        to=_user_url("change"),
        done=lambda w, visitor: _account(w).check_password(NEW_PASSWORD),
    ),
    Row("admin user add form", "GET", lambda w: reverse("admin:accounts_user_add"), SUPERUSER_ONLY),
    Row(
        "admin user add",
        "POST",
        lambda w: reverse("admin:accounts_user_add"),
        SUPERUSER_ONLY,
        data=lambda w: {
            "email": "nouvelle@example.org",
            "display_name": "Nora",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        to=lambda w: reverse(
            "admin:accounts_user_change",
            args=[User.objects.get(email="nouvelle@example.org").pk],
        ),
        done=lambda w, visitor: User.objects.filter(email="nouvelle@example.org").exists(),
    ),
    # Deletion is disabled for everyone (it will be the RGPD's service).
    Row("admin user delete", "GET", _user_url("delete"), NOBODY_IN_THE_ADMIN),
    # Staff accounts, the moderator's own included, are the superusers' business.
    Row("admin own staff account", "GET", _user_url("change", "moderator"), STAFF_ACCOUNT),
    Row("admin superuser account", "GET", _user_url("change", "superuser"), STAFF_ACCOUNT),
    Row(
        "admin staff account made superuser",
        "POST",
        _user_url("change", "moderator"),
        STAFF_ACCOUNT,
        data=lambda w: _account_form(w, "moderator", is_staff="on", is_superuser="on"),
        to=_users,
        done=lambda w, visitor: _account(w, "moderator").is_superuser,
    ),
    Row(
        "admin staff account password form",
        "GET",
        _user_url("password", "superuser"),
        SUPERUSER_ONLY,
    ),
    Row(
        "admin deactivate a staff account",
        "POST",
        _users,
        MODERATOR_IGNORED,
        data=lambda w: {"action": "deactivate", "_selected_action": [w.users["moderator"].pk]},
        to=_users,
        done=lambda w, visitor: not _account(w, "moderator").is_active,
    ),
    Row(
        "admin delete an account",
        "POST",
        _users,
        STAFF_ONLY,
        data=lambda w: {
            "action": "delete_accounts",
            "_selected_action": [w.users["participant"].pk],
            "confirm": "yes",
        },
        to=_users,
        done=lambda w, visitor: _account(w).deleted_at is not None,
    ),
    Row(
        "admin delete a staff account",
        "POST",
        _users,
        MODERATOR_IGNORED,
        data=lambda w: {
            "action": "delete_accounts",
            "_selected_action": [w.users["moderator"].pk],
            "confirm": "yes",
        },
        to=_users,
        done=lambda w, visitor: _account(w, "moderator").deleted_at is not None,
    ),
    Row("admin group add form", "GET", lambda w: reverse("admin:auth_group_add"), SUPERUSER_ONLY),
    Row(
        "admin group page",
        "GET",
        lambda w: reverse("admin:auth_group_change", args=[_moderation_group().pk]),
        SUPERUSER_ONLY,
    ),
    Row(
        "admin group permissions",
        "POST",
        lambda w: reverse("admin:auth_group_change", args=[_moderation_group().pk]),
        SUPERUSER_ONLY,
        data=lambda w: {
            "name": MODERATION_GROUP,
            "permissions": [
                *_moderation_group().permissions.values_list("pk", flat=True),
                Permission.objects.get(codename="delete_user").pk,
            ],
        },
        to=lambda w: reverse("admin:auth_group_changelist"),
        done=lambda w, visitor: (
            _moderation_group().permissions.filter(codename="delete_user").exists()
        ),
    ),
    Row(
        "admin group delete",
        "GET",
        lambda w: reverse("admin:auth_group_delete", args=[_moderation_group().pk]),
        SUPERUSER_ONLY,
    ),
]

# --- A promise for an organisation's members only (World.internal, ACME's) -----------------

# Its members see it (the animateur is its initiator, the member pledged, the admin has not);
# to everyone else it does not exist, moderators included (they handle it in the admin).
ACME_ONLY = _cells(anonymous=NOT_FOUND, others=NOT_FOUND, member=OK, animateur=OK, org_admin=OK)
MOVED = "moved"  # a redirect (301 or 302) to the row's `to`


def _internal_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"promises:{name}", args=[w.internal.slug])


def _internal_agenda(w: World) -> str:
    Promise.objects.filter(pk=w.internal.pk).update(action_date=datetime.date(2027, 7, 10))
    return reverse("promises:agenda", args=[w.internal.slug])


def _internal_share_link(w: World) -> str:
    pledge = Pledge.objects.get(promise=w.internal, user=w.users["member"])
    return reverse("share_link", args=[w.internal.short_code, pledge.share_token])


INTERNAL_ROWS = [
    Row("internal promise page", "GET", lambda w: w.internal.get_absolute_url(), ACME_ONLY),
    *(
        Row(f"internal {name}", "GET", _internal_url(name), ACME_ONLY)
        for name in ("og_image", "square_image", "widget", "poster", "flyers", "updates")
    ),
    Row("internal calendar", "GET", _internal_agenda, ACME_ONLY),
    Row(
        "internal short link",
        "GET",
        lambda w: reverse("short_link", args=[w.internal.short_code]),
        {**ACME_ONLY, "member": MOVED, "animateur": MOVED, "org_admin": MOVED},
        to=lambda w: w.internal.get_absolute_url(),
    ),
    Row(
        "internal share link",
        "GET",
        _internal_share_link,
        {**ACME_ONLY, "member": MOVED, "animateur": MOVED, "org_admin": MOVED},
        to=lambda w: w.internal.get_absolute_url(),
    ),
    Row(
        # Its members pledge (the member has already: told so); nobody else even sees it.
        "internal pledge",
        "POST",
        _internal_url("pledge"),
        ACME_ONLY,
        to=lambda w: w.internal.get_absolute_url(),
        done=lambda w, visitor: _pledge_status(w, w.internal, visitor) == Pledge.Status.ACTIVE,
    ),
    Row(
        # Its participants and initiators write; the admin, who has not pledged, may not (an
        # anonymous visitor is asked to log in first, as on any promise).
        "internal new post",
        "POST",
        lambda w: reverse("discussions:post_create", args=[w.internal.slug]),
        {**ACME_ONLY, "anonymous": LOGIN, "org_admin": FORBIDDEN},
        data=lambda w: {"text": "Rendez-vous au 3e étage."},
        to=_latest_post_url,
        done=lambda w, visitor: DiscussionPost.objects.filter(
            author=w.users[visitor], text="Rendez-vous au 3e étage."
        ).exists(),
    ),
]

ROWS = [
    Row("create form", "GET", lambda w: reverse("promises:create"), MEMBERS_ONLY),
    Row(
        "create",
        "POST",
        lambda w: reverse("promises:create"),
        MEMBERS_ONLY,
        data=promise_data,
        to=lambda w: Promise.objects.latest("created_at").get_absolute_url(),
        done=lambda w, visitor: Promise.objects.filter(city="Lyon").exists(),
    ),
    Row("edit form", "GET", _open_url("edit"), INITIATOR_ONLY),
    Row(
        "edit",
        "POST",
        _open_url("edit"),
        INITIATOR_ONLY,
        data=lambda w: {**promise_data(w), "city": "Lille"},
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: Promise.objects.get(pk=w.open.pk).city == "Lille",
    ),
    Row("cancel confirmation", "GET", _open_url("cancel"), INITIATOR_ONLY),
    Row(
        "cancel",
        "POST",
        _open_url("cancel"),
        INITIATOR_ONLY,
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: Promise.objects.get(pk=w.open.pk).state == "cancelled",
    ),
    Row(
        # Anyone may click "Je promets"; those who have already pledged are told so.
        "pledge",
        "POST",
        _open_url("pledge"),
        _cells(anonymous=SIGNUP, others=OK),
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: _pledge_status(w, w.open, visitor) == Pledge.Status.ACTIVE,
    ),
    Row("withdraw confirmation", "GET", _open_url("withdraw"), PARTICIPANT_ONLY),
    Row(
        "withdraw",
        "POST",
        _open_url("withdraw"),
        PARTICIPANT_ONLY,
        to=lambda w: w.open.get_absolute_url(),
        done=lambda w, visitor: _pledge_status(w, w.open, visitor) == Pledge.Status.WITHDRAWN,
    ),
    Row(
        "abandon confirmation",
        "GET",
        lambda w: reverse("promises:abandon", args=[w.reached.slug]),
        PARTICIPANT_ONLY,
    ),
    Row(
        "abandon",
        "POST",
        lambda w: reverse("promises:abandon", args=[w.reached.slug]),
        PARTICIPANT_ONLY,
        data=lambda w: {"reason": "Malade"},
        to=lambda w: w.reached.get_absolute_url(),
        done=lambda w, visitor: _pledge_status(w, w.reached, visitor) == Pledge.Status.ABANDONED,
    ),
    Row(
        # A hidden promise is shown only to its initiator and to moderators.
        "hidden promise",
        "GET",
        lambda w: w.hidden.get_absolute_url(),
        INITIATOR_AND_STAFF,
    ),
    *ACTION_ROWS,
    *RECAP_ROWS,
    *DISCUSSION_ROWS,
    Row("my space", "GET", lambda w: reverse("dashboard"), MEMBERS_ONLY),
    Row("profile form", "GET", lambda w: reverse("accounts:profile"), MEMBERS_ONLY),
    Row(
        "profile",
        "POST",
        lambda w: reverse("accounts:profile"),
        MEMBERS_ONLY,
        data=lambda w: {"display_name": "Nouveau nom"},
        to=lambda w: reverse("accounts:profile"),
        done=lambda w, visitor: (
            User.objects.get(pk=w.users[visitor].pk).display_name == "Nouveau nom"
        ),
    ),
    Row("account deletion page", "GET", lambda w: reverse("accounts:delete"), MEMBERS_ONLY),
    Row(
        # Anyone logged in deletes their own account, and only theirs: the password says so.
        "account deletion",
        "POST",
        lambda w: reverse("accounts:delete"),
        MEMBERS_ONLY,
        data=lambda w: {"password": PASSWORD},
        to=lambda w: reverse("home"),
        done=lambda w, visitor: _account(w, visitor).deleted_at is not None,
    ),
    Row(
        "preferences form",
        "GET",
        lambda w: reverse("notifications:preferences"),
        MEMBERS_ONLY,
    ),
    Row(
        "preferences",
        "POST",
        lambda w: reverse("notifications:preferences"),
        MEMBERS_ONLY,
        data=lambda w: {t.key: "never" if t.key == TOPIC_ACTION else t.default for t in topics()},
        to=lambda w: reverse("notifications:preferences"),
        done=lambda w, visitor: EmailPreference.objects.filter(user=w.users[visitor]).exists(),
    ),
    # Download my data: the page and the request for every member; the archive for its
    # owner only (anyone else: not found, as a link that does not exist).
    Row("my data page", "GET", lambda w: reverse("accounts:data"), MEMBERS_ONLY),
    Row(
        "ask for my data",
        "POST",
        lambda w: reverse("accounts:data"),
        MEMBERS_ONLY,
        to=lambda w: reverse("accounts:data"),
        done=lambda w, visitor: DataExport.objects.filter(user=w.users[visitor]).exists(),
    ),
    Row(
        "download my data",
        "GET",
        _participant_export_url,
        _cells(anonymous=LOGIN, others=NOT_FOUND, participant=OK),
    ),
    Row("email addresses", "GET", lambda w: reverse("account_email"), MEMBERS_ONLY),
    Row("password change", "GET", lambda w: reverse("account_change_password"), MEMBERS_ONLY),
    Row("admin index", "GET", lambda w: reverse("admin:index"), STAFF_ONLY),
    *ADMIN_ROWS,
    *(Row(name, "GET", lambda w, url=url: url, cells) for name, url, cells in _admin_urls()),
    *INTERNAL_ROWS,
    # Other apps' rows (onpromet/tests/access_rows_*.py).
    *access_rows_organisations.ROWS,
    *access_rows_reports.ROWS,
    *access_rows_commitments.ROWS,
]

CELLS = [
    pytest.param(row, visitor, id=f"{row.name}-{row.method}-{visitor}")
    for row in ROWS
    for visitor in VISITORS
]


def client_for(w: World, visitor: str, **kwargs) -> Client:
    client = Client(**kwargs)
    if w.users[visitor] is not None:
        client.force_login(w.users[visitor])
    return client


def _check_redirect(response, to: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].split("?")[0] == to, response["Location"]


@pytest.mark.parametrize(("row", "visitor"), CELLS)
def test_it_enforces_the_access_matrix(world, row, visitor):
    client = client_for(world, visitor)
    url = row.url(world)
    before = stored()

    response = client.get(url) if row.method == "GET" else client.post(url, row.data(world))

    expected = row.cells[visitor]
    if expected == OK and row.method == "GET":
        assert response.status_code == 200, response.status_code
    elif expected == OK:
        _check_redirect(response, row.to(world))
        assert row.done(world, visitor), "the action did not happen"
    elif expected == LOGIN:
        _check_redirect(response, reverse("account_login"))
    elif expected == ADMIN_LOGIN:
        _check_redirect(response, reverse("admin:login"))
    elif expected == ADMIN_HOME:
        _check_redirect(response, reverse("admin:index"))
    elif expected == IGNORED:
        _check_redirect(response, row.to(world))
        assert not row.done(world, visitor), "a change the visitor may not make was made"
    elif expected == SIGNUP:
        _check_redirect(response, reverse("account_signup"))
    elif expected == MOVED:
        assert response.status_code in (301, 302), response.status_code
        assert response["Location"] == row.to(world), response["Location"]
    else:
        assert response.status_code == expected, response.status_code

    if expected in (LOGIN, ADMIN_LOGIN, ADMIN_HOME, IGNORED, FORBIDDEN, NOT_FOUND) or (
        row.method == "GET"
    ):
        assert stored() == before, "a refused request (or a GET) changed stored data"


def test_every_visitor_has_a_cell_in_every_row():
    for row in ROWS:
        assert set(row.cells) == set(VISITORS), row.name
        if OK in row.cells.values() and row.changes_state:
            assert row.to is not None, row.name


# --- GET never changes anything; POST-only URLs say so --------------------------------------


@pytest.mark.parametrize("visitor", VISITORS)
def test_it_refuses_get_on_the_pledge_url(world, visitor):
    client = client_for(world, visitor)
    before = stored()
    response = client.get(reverse("promises:pledge", args=[world.open.slug]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert stored() == before


POST_ONLY = {
    "new post": lambda w: reverse("discussions:post_create", args=[w.open.slug]),
    "reply": _post_url("comment_create"),
    "post pin": _post_url("post_pin"),
}


@pytest.mark.parametrize("name", POST_ONLY)
@pytest.mark.parametrize("visitor", [v for v in VISITORS if v != "anonymous"])
def test_it_refuses_get_on_the_discussion_actions(world, name, visitor):
    """(Log-in comes first: an anonymous visitor is sent to it, as by the access matrix.)"""
    client = client_for(world, visitor)
    before = stored()
    response = client.get(POST_ONLY[name](world))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert stored() == before


def test_it_does_not_log_out_on_get(world):
    client = client_for(world, "participant")
    client.get(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 200


# --- CSRF ---------------------------------------------------------------------------------


@dataclass
class Post:
    name: str
    url: Callable[[World], str]
    who: str
    data: Callable[[World], dict] = field(default=lambda w: {})


CSRF_POSTS = [
    *(
        Post(row.name, row.url, next(v for v in VISITORS if row.cells[v] in (OK, SIGNUP)), row.data)
        for row in ROWS
        if row.changes_state
    ),
    Post(
        "sign-up",
        lambda w: reverse("account_signup"),
        "anonymous",
        lambda w: {
            "display_name": "Nora",
            "email": "nora@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    ),
    Post(
        "log-in",
        lambda w: reverse("account_login"),
        "anonymous",
        lambda w: {"login": w.users["participant"].email, "password": PASSWORD},
    ),
    Post(
        "admin log-in",
        lambda w: reverse("admin:login"),
        "anonymous",
        lambda w: {"username": w.users["moderator"].email, "password": PASSWORD},
    ),
    Post(
        "password reset",
        lambda w: reverse("account_reset_password"),
        "anonymous",
        lambda w: {"email": w.users["participant"].email},
    ),
    Post("log-out", lambda w: reverse("account_logout"), "participant"),
    Post(
        "email change",
        lambda w: reverse("account_email"),
        "participant",
        lambda w: {"email": "nouvelle@example.org", "action_add": ""},
    ),
    Post(
        "password change",
        lambda w: reverse("account_change_password"),
        "participant",
        lambda w: {
            "oldpassword": PASSWORD,
            "password1": "Un-autre-2028!",
            "password2": "Un-autre-2028!",
        },
    ),
    Post(
        "admin change",
        lambda w: reverse("admin:accounts_user_change", args=[w.users["outsider"].pk]),
        "moderator",
        lambda w: {"email": w.users["outsider"].email, "display_name": "Changé"},
    ),
]


@pytest.mark.parametrize("post", CSRF_POSTS, ids=lambda post: post.name)
def test_it_refuses_a_post_without_csrf_token(world, post):
    client = client_for(world, post.who, enforce_csrf_checks=True)
    url = post.url(world)  # (some make what they point to: before the snapshot)
    before = stored()

    response = client.post(url, post.data(world))

    assert response.status_code == 403
    assert stored() == before
    if post.who != "anonymous":
        assert client.get(reverse("dashboard")).status_code == 200  # still logged in


def test_it_accepts_the_one_click_unsubscribe_without_csrf_token(world):
    """The documented exception (RFC 8058): mail clients POST to the link in the email's
    List-Unsubscribe header, without a session or a CSRF token; the signed token in the URL
    is the credential."""
    participant = world.users["participant"]
    token = unsubscribe_token(user_id=participant.pk, topic=TOPIC_ACTION)
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 200
    assert getattr(notification_views.unsubscribe, "csrf_exempt", False)
    preference = EmailPreference.objects.get(user=participant, topic=TOPIC_ACTION)
    assert preference.cadence == "never"
    # Without a valid token, nothing happens.
    forged = Client(enforce_csrf_checks=True).post(
        reverse("notifications:unsubscribe", args=[token[:-2] + "xx"])
    )
    assert forged.status_code == 404
