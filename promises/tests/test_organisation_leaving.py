"""Leaving an organisation (promises.leaving): the person's pledges on its promises for members
only are withdrawn while a promise is open, recorded as abandoned once it is reached, and they
are told; the counter stays exact, under concurrency too. Deleting an account leaves every
organisation first, the only admin handing it on (promises.deletion)."""

import contextlib

import pytest

from accounts.deletion import account_delete
from accounts.tests.factories import UserFactory
from onpromet.errors import Refusal
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import services
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory
from promises.tests.helpers import race


def _join(organisation, user, role=Membership.Role.MEMBER):
    return Membership.objects.create(
        organisation=organisation, user=user, role=role, via=Membership.Via.INVITATION
    )


@pytest.fixture
def acme(db):
    return organisation_services.organisation_create(
        user=UserFactory(display_name="Bérénice"), name="ACME", kind=Organisation.Kind.COMPANY
    )


@pytest.fixture
def animateur(acme):
    user = UserFactory(display_name="Arthur")
    _join(acme, user, Membership.Role.ANIMATEUR)
    return user


@pytest.fixture
def member(acme):
    user = UserFactory(display_name="Mia")
    _join(acme, user)
    return user


def _internal(acme, animateur, **fields):
    return PromiseFactory(
        created_by=animateur,
        organisation=acme,
        visibility=Promise.Visibility.MEMBERS,
        **{"objective": 3, **fields},
    )


def _members(acme, count):
    people = UserFactory.create_batch(count)
    for user in people:
        _join(acme, user)
    return people


def _exact(promise):
    promise.refresh_from_db()
    assert promise.pledge_count == promise.pledges.participants().count()
    return promise


def test_it_withdraws_the_pledge_on_an_open_promise_and_says_so(acme, animateur, member):
    internal = _internal(acme, animateur, action="trier les déchets du bureau")
    public = PromiseFactory(created_by=animateur, organisation=acme)  # public: untouched
    for promise in (internal, public):
        services.pledge_create(promise=promise, user=member)
    told = organisation_services.member_leave(organisation=acme, user=member)
    assert told == [f"Votre promesse « {internal.sentence} » est retirée."]
    assert Pledge.objects.get(promise=internal, user=member).status == Pledge.Status.WITHDRAWN
    assert Pledge.objects.get(promise=public, user=member).status == Pledge.Status.ACTIVE
    assert _exact(internal).pledge_count == 0
    assert not Membership.objects.filter(organisation=acme, user=member).exists()


def test_it_records_an_abandon_once_reached_and_the_state_stays(acme, animateur, member):
    internal = _internal(acme, animateur, objective=2)
    services.pledge_create(promise=internal, user=member)
    for user in _members(acme, 1):
        services.pledge_create(promise=internal, user=user)
    assert _exact(internal).state == Promise.State.REACHED
    told = organisation_services.member_leave(organisation=acme, user=member)
    assert told == [
        f"Votre promesse « {internal.sentence} » est enregistrée comme abandonnée : "
        "l'objectif reste atteint."
    ]
    pledge = Pledge.objects.get(promise=internal, user=member)
    assert pledge.status == Pledge.Status.ABANDONED and pledge.abandoned_at is not None
    internal = _exact(internal)
    assert internal.state == Promise.State.REACHED and internal.pledge_count == 1


def test_a_finished_promise_stays_as_it_was(acme, animateur, member):
    internal = _internal(acme, animateur, objective=1)
    services.pledge_create(promise=internal, user=member)
    Promise.objects.filter(pk=internal.pk).update(state=Promise.State.FINISHED)
    assert organisation_services.member_leave(organisation=acme, user=member) == []
    assert Pledge.objects.get(promise=internal, user=member).status == Pledge.Status.ACTIVE


def test_an_initiator_leaves_the_lead_or_takes_the_promise_with_them(acme, animateur, member):
    led_alone = _internal(acme, animateur, action="covoiturer jusqu'au bureau")
    co_led = _internal(acme, animateur, action="courir ensemble le midi")
    services.pledge_create(promise=led_alone, user=member)
    other = _members(acme, 1)[0]
    invitation = services.invitation_create(promise=co_led, invited_by=animateur, email=other.email)
    services.invitation_accept(invitation=invitation, user=other)
    told = organisation_services.member_leave(organisation=acme, user=animateur)
    assert len(told) == 2
    led_alone.refresh_from_db()
    assert led_alone.state == Promise.State.CANCELLED
    assert not Pledge.objects.filter(promise=co_led, user=animateur).initiators().exists()
    assert Pledge.objects.filter(promise=co_led, user=other).initiators().exists()


def test_the_leaver_sees_it_no_more_and_cannot_pledge_again(client, acme, animateur, member):
    internal = _internal(acme, animateur)
    services.pledge_create(promise=internal, user=member)
    organisation_services.member_leave(organisation=acme, user=member)
    client.force_login(member)
    assert client.get(internal.get_absolute_url()).status_code == 404
    with pytest.raises(Refusal, match="réservée aux membres"):
        services.pledge_create(promise=internal, user=member)


@pytest.mark.django_db(transaction=True)
def test_the_counter_stays_exact_when_a_member_leaves_while_others_pledge():
    """A member leaves while other members pledge on the same promise, and while the leaver
    clicks "Je promets" again: counter == COUNT(*) whatever the order."""
    acme = organisation_services.organisation_create(
        user=UserFactory(), name="ACME", kind=Organisation.Kind.COMPANY
    )
    animateur = UserFactory()
    _join(acme, animateur, Membership.Role.ANIMATEUR)
    internal = _internal(acme, animateur, objective=100)
    leavers = _members(acme, 5)
    for user in leavers:
        services.pledge_create(promise=internal, user=user)
    newcomers = _members(acme, 10)

    def leave(user):
        organisation_services.member_leave(organisation=acme, user=user)

    def pledge(user):
        services.pledge_create(promise=internal, user=user)

    def pledge_again(user):
        with contextlib.suppress(Refusal):  # left first: refused, as it should
            services.pledge_create(promise=internal, user=user)

    errors = race(
        lambda action, user: action(user),
        [(leave, u) for u in leavers]
        + [(pledge, u) for u in newcomers]
        + [(pledge_again, u) for u in leavers],
    )
    assert errors == []
    internal = _exact(internal)
    assert internal.pledge_count == 10
    assert not Pledge.objects.filter(
        promise=internal, user__in=leavers, status=Pledge.Status.ACTIVE
    ).exists()


# --- Deleting an account ----------------------------------------------------------------------


def test_deleting_the_account_leaves_every_organisation_first(acme, animateur, member):
    internal = _internal(acme, animateur)
    services.pledge_create(promise=internal, user=member)
    account_delete(user=member)
    assert not Membership.objects.filter(user=member).exists()
    assert Pledge.objects.get(promise=internal, user=member).status == Pledge.Status.WITHDRAWN
    assert _exact(internal).pledge_count == 0


def test_the_only_admin_hands_on_to_the_oldest_animateur_else_member(acme, animateur, member):
    boss = acme.created_by
    account_delete(user=boss)
    assert Membership.objects.get(organisation=acme, user=animateur).role == "admin"
    assert Membership.objects.get(organisation=acme, user=member).role == "membre"

    other = organisation_services.organisation_create(
        user=UserFactory(), name="Asso", kind=Organisation.Kind.ASSOCIATION
    )
    older, younger = UserFactory(), UserFactory()
    _join(other, older)
    _join(other, younger)
    account_delete(user=other.created_by)
    assert Membership.objects.get(organisation=other, user=older).role == "admin"
    assert Membership.objects.get(organisation=other, user=younger).role == "membre"


def test_an_organisation_left_alone_stays_without_members(acme):
    account_delete(user=acme.created_by)
    assert Organisation.objects.filter(pk=acme.pk).exists()
    assert not Membership.objects.filter(organisation=acme).exists()


def test_reached_then_deleted_keeps_the_objective(acme, animateur, member):
    internal = _internal(acme, animateur, objective=1)
    services.pledge_create(promise=internal, user=member)  # reaches it
    account_delete(user=member)
    internal = _exact(internal)
    assert internal.state == Promise.State.REACHED
    assert Pledge.objects.get(promise=internal, user=member).status == Pledge.Status.ABANDONED
