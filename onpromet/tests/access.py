"""The access matrix's cast and vocabulary (test_gate_access.py): the visitors, what a cell
expects, the world they meet, a row. Rows of other apps are written in the modules beside
it (access_rows_*.py), each a list ROWS that the matrix runs with its own."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport, User
from accounts.services import MODERATED, moderator_grant
from accounts.tests.factories import UserFactory
from discussions import services as discussion_services
from discussions.models import Comment, Report
from discussions.models import Post as DiscussionPost
from notifications.models import EmailPreference
from organisations import services as organisation_services
from organisations.models import Invitation as OrganisationInvitation
from organisations.models import Membership, Organisation
from promises import services
from promises.models import Commitment, Invitation, Pledge, Promise, Recap, Update
from promises.tests.factories import PromiseFactory, ThemeFactory

# The organisation columns: a member, an animateur and an admin of ACME, and the admin of
# another organisation; everyone else belongs to none.
VISITORS = (
    "anonymous",
    "outsider",
    "participant",
    "initiator",
    "moderator",
    "superuser",
    "member",
    "animateur",
    "org_admin",
    "other_admin",
)

# What a cell expects.
OK = "ok"  # 200 for a GET; for a POST, a redirect to the row's `to` and the row's `done` true
LOGIN = "login"  # redirected to the site's log-in
ADMIN_LOGIN = "admin login"  # redirected to the admin's log-in
ADMIN_HOME = "admin home"  # sent back to the admin's index: "no such object" for this visitor
IGNORED = "ignored"  # the admin form is accepted, but what it was sent to change is not
SIGNUP = "signup"  # redirected to sign-up (an anonymous pledge, counted once confirmed)
FORBIDDEN = 403
NOT_FOUND = 404


def stored() -> list:
    """Every row a visitor's action could change, to compare before and after."""
    models = [
        User,
        User.groups.through,
        User.user_permissions.through,
        Group,
        Group.permissions.through,
        EmailAddress,
        EmailPreference,
        DataExport,
        Promise,
        Promise.themes.through,
        Pledge,
        Invitation,
        Update,
        Recap,
        Commitment,
        Organisation,
        Membership,
        OrganisationInvitation,
        DiscussionPost,
        Comment,
        Report,
    ]
    return [list(m.objects.order_by("pk").values()) for m in models]


@dataclass
class World:
    """An open promise with a participant, a reached one, a hidden one; all the initiator's.
    In the open one's discussion, a post by the participant."""

    users: dict
    open: Promise
    reached: Promise
    hidden: Promise
    theme_pk: int
    post: DiscussionPost
    # ACME (a company) and its promise for members only, launched by its animateur, with
    # its member in it; another organisation, administered by other_admin.
    org: Organisation = None
    other_org: Organisation = None
    internal: Promise = None


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once per module, committed; each test runs in its own transaction, rolled back
    after it (pytest-django's `db`), so every cell meets this same world. Emptied at the end
    of the module. (Built per test, it cost 0.2 s for each of 1 600 cells.)"""
    with django_db_blocker.unblock():
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                EMAILS_VIA_WORKER=False,
            ):
                yield _world_build()
        finally:
            _tables_empty()


def _tables_empty() -> None:
    """What the world and its module wrote: every table but the schema's own records."""
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
        )


def _world_build() -> World:
    initiator = UserFactory(display_name="Arthur")
    participant = UserFactory(display_name="Paula")
    outsider = UserFactory(display_name="Oscar")
    moderator = UserFactory(display_name="Modération")
    moderator_grant(user=moderator)
    superuser = UserFactory(display_name="Administration", is_staff=True, is_superuser=True)
    theme = ThemeFactory()
    open_promise = PromiseFactory(created_by=initiator, objective=5, themes=[theme])
    services.pledge_create(promise=open_promise, user=participant)
    reached = PromiseFactory(created_by=initiator, objective=1)
    services.pledge_create(promise=reached, user=participant)
    hidden = PromiseFactory(created_by=initiator)
    services.promise_set_hidden(promise=hidden, hidden=True)
    users = {
        "anonymous": None,
        "outsider": outsider,
        "participant": participant,
        "initiator": initiator,
        "moderator": moderator,
        "superuser": superuser,
        **{who: UserFactory(display_name=who.capitalize()) for who in ORGANISATION_PEOPLE},
    }
    for promise in (open_promise, reached):
        promise.refresh_from_db()
    assert reached.is_reached
    post = discussion_services.post_create(
        promise=open_promise, author=participant, text="On se retrouve à 9 h ?"
    )
    w = World(users, open_promise, reached, hidden, theme.pk, post)
    organisations_of(w)
    failed_promise(w)  # made now: a row's URL must not change stored data
    finished_promise(w)
    return w


ORGANISATION_PEOPLE = ("member", "animateur", "org_admin", "other_admin")


def organisations_of(w: World) -> None:
    """ACME with its admin, animateur and member; its members-only promise; another
    organisation with its own admin."""
    w.org = organisation_services.organisation_create(
        user=w.users["org_admin"], name="ACME", kind=Organisation.Kind.COMPANY
    )
    for who, role in (("animateur", Membership.Role.ANIMATEUR), ("member", Membership.Role.MEMBER)):
        Membership.objects.create(
            organisation=w.org, user=w.users[who], role=role, via=Membership.Via.INVITATION
        )
    w.other_org = organisation_services.organisation_create(
        user=w.users["other_admin"], name="Autre asso", kind=Organisation.Kind.ASSOCIATION
    )
    w.internal = PromiseFactory(
        created_by=w.users["animateur"],
        objective=5,
        action="trier les déchets du bureau",
        organisation=w.org,
        visibility=Promise.Visibility.MEMBERS,
    )
    services.pledge_create(promise=w.internal, user=w.users["member"])
    w.internal.refresh_from_db()


def promise_data(w: World) -> dict:
    return {
        "action": "aller planter des arbres au parc",
        "objective": "4",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "action_date": "",
        "action_end_date": "",
        "action_schedule": "",
        "description": "Pelles fournies.",
        "themes": [w.theme_pk],
        "city": "Lyon",
    }


def _pledge_status(w: World, promise: Promise, visitor: str):
    pledge = Pledge.objects.filter(promise=promise, user=w.users[visitor]).first()
    return pledge and pledge.status


@dataclass
class Row:
    name: str
    method: str
    url: Callable[[World], str]
    cells: dict  # visitor → OK, LOGIN, ADMIN_LOGIN, SIGNUP, FORBIDDEN or NOT_FOUND
    data: Callable[[World], dict] = field(default=lambda w: {})
    # For an allowed POST: where it leads, and what must be true after it.
    to: Callable[[World], str] | None = None
    done: Callable[[World, str], bool] = field(default=lambda w, visitor: True)

    @property
    def changes_state(self) -> bool:
        return self.method == "POST"


def _cells(*, anonymous, others, **exceptions) -> dict:
    cells = dict.fromkeys(VISITORS, others)
    return {**cells, "anonymous": anonymous, **exceptions}


MEMBERS_ONLY = _cells(anonymous=LOGIN, others=OK)
INITIATOR_ONLY = _cells(anonymous=LOGIN, others=FORBIDDEN, initiator=OK)
PARTICIPANT_ONLY = _cells(anonymous=LOGIN, others=FORBIDDEN, participant=OK)
STAFF_ONLY = _cells(anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, moderator=OK, superuser=OK)
SUPERUSER_ONLY = _cells(
    anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, moderator=FORBIDDEN, superuser=OK
)
# On the site, moderators and superusers are alike: staff, who see hidden content.
INITIATOR_AND_STAFF = _cells(
    anonymous=NOT_FOUND, others=NOT_FOUND, initiator=OK, moderator=OK, superuser=OK
)
MEMBERS_AND_ANONYMOUS = _cells(anonymous=OK, others=OK)


def _open_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"promises:{name}", args=[w.open.slug])


def _admin_urls() -> list[tuple[str, str, dict]]:
    """Every changelist of the admin: for moderators, those of the models they moderate."""
    return [
        (
            f"admin {model._meta.label_lower}",
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            STAFF_ONLY
            if (model._meta.app_label, model._meta.model_name) in MODERATED
            else SUPERUSER_ONLY,
        )
        for model in admin.site._registry
    ]


def failed_promise(w: World) -> Promise:
    """The initiator's failed promise, with the participant in it (made once per database
    state: the hostile-input gate rolls back after each example)."""
    failed = Promise.objects.filter(action="composter au jardin").first()
    if failed is None:
        failed = PromiseFactory(created_by=w.users["initiator"], action="composter au jardin")
        services.pledge_create(promise=failed, user=w.users["participant"])
        Promise.objects.filter(pk=failed.pk).update(state=Promise.State.FAILED)
    return failed


def _recap_draft(w: World) -> Promise:
    """The reached promise, with a draft of its bilan (made by the row's URL, before
    stored() is read)."""
    Recap.objects.get_or_create(
        promise=w.reached, defaults={"text": "Brouillon", "author": w.users["initiator"]}
    )
    return w.reached


def finished_promise(w: World) -> Promise:
    """The initiator's promise finished by its published bilan, the participant in it."""
    finished = Promise.objects.filter(state=Promise.State.FINISHED).first()
    if finished is None:
        finished = PromiseFactory(created_by=w.users["initiator"], objective=1)
        services.pledge_create(promise=finished, user=w.users["participant"])
        services.recap_save(promise=finished, author=w.users["initiator"], text="Fini !")
        services.recap_publish(promise=finished)
    return finished
