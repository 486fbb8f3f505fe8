"""Promise.version moves with every change its pages show, in the change's own transaction,
whoever makes it (a service, the admin, a bulk update): the page caches are keyed by it.
The triggers are in promises/migrations/0007; discussions/tests/test_versions.py covers posts
and replies."""

from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.services import user_deactivate
from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Pledge, Promise
from promises.tests.factories import PromiseFactory, ThemeFactory, reach

pytestmark = pytest.mark.django_db


def version(promise) -> int:
    return Promise.objects.values_list("version", flat=True).get(pk=promise.pk)


@contextmanager
def bumps(*promises):
    before = [version(promise) for promise in promises]
    yield
    after = [version(promise) for promise in promises]
    assert all(new > old for new, old in zip(after, before, strict=True)), (before, after)


@contextmanager
def keeps(promise):
    before = version(promise)
    yield
    assert version(promise) == before


def test_pledges_bump_it_as_they_come_go_and_are_confirmed(promise, participant):
    with bumps(promise):
        services.pledge_create(promise=promise, user=participant)
    with bumps(promise):
        services.pledge_withdraw(promise=promise, user=participant)
    newcomer = UserFactory(verified=False)
    with bumps(promise):
        services.pledge_create(promise=promise, user=newcomer)  # pending: on nobody's list yet
    EmailAddress.objects.filter(user=newcomer).update(verified=True)
    with bumps(promise):
        services.pledges_activate(user=newcomer)


def test_reaching_abandoning_and_keeping_bump_it(promise):
    with bumps(promise):
        first, second, *_ = reach(promise)
    with bumps(promise):
        services.pledge_abandon(promise=promise, user=first, reason="Malade")
    with bumps(promise):
        services.pledge_keep(promise=promise, user=second)


def test_edits_theme_changes_and_state_changes_bump_it(promise):
    with bumps(promise):
        services.promise_update(promise=promise, data={"description": "Nouveau rendez-vous."})
    with bumps(promise):
        services.promise_update(promise=promise, data={"themes": [ThemeFactory()]})
    with bumps(promise):
        services.promise_cancel(promise=promise)


def test_the_deadline_sweep_bumps_the_promises_it_fails(promise):
    Promise.objects.filter(pk=promise.pk).update(deadline=timezone.now())
    with bumps(promise):
        assert services.promises_fail_expired() == 1


def test_moderation_and_the_admin_bump_it(promise):
    with bumps(promise):
        services.promise_set_hidden(promise=promise, hidden=True)
    # What the admin's change form does: save() of the model.
    promise.refresh_from_db()
    promise.city = "Mimizan"
    with bumps(promise):
        promise.save()
    with bumps(promise):  # a bulk update in a shell, a data migration
        Promise.objects.filter(pk=promise.pk).update(objective=7)


def test_news_the_bilan_and_co_initiators_bump_it(promise, initiator):
    with bumps(promise):
        services.update_create(promise=promise, author=initiator, text="Rendez-vous à 9 h.")
    co_initiator = UserFactory()
    invitation = services.invitation_create(
        promise=promise, invited_by=initiator, email=co_initiator.email
    )
    with bumps(promise):
        services.invitation_accept(invitation=invitation, user=co_initiator)
    with bumps(promise):
        services.initiator_leave(promise=promise, user=co_initiator)
    reach(promise)
    with bumps(promise):
        services.recap_save(promise=promise, author=initiator, text="Nous étions 60.")
    with bumps(promise):
        services.recap_publish(promise=promise)


def test_a_persons_name_bumps_every_promise_they_are_on(participant):
    first, second, elsewhere = PromiseFactory(), PromiseFactory(), PromiseFactory()
    services.pledge_create(promise=first, user=participant)
    services.pledge_create(promise=second, user=participant)
    services.pledge_withdraw(promise=second, user=participant)  # still named in old posts
    with bumps(first, second), keeps(elsewhere):
        participant.display_name = "Paula Martin"
        participant.save()
    with bumps(first, second):
        participant.appears_anonymously = True
        participant.save()
    with bumps(first, second):
        user_deactivate(user=participant)  # what they wrote is masked from now on


def test_a_theme_renamed_bumps_its_promises():
    theme = ThemeFactory(name="Plage")
    with_it, without = PromiseFactory(themes=[theme]), PromiseFactory()
    theme.name = "Littoral"
    with bumps(with_it), keeps(without):
        theme.save()


def test_what_changes_nothing_on_the_page_bumps_nothing(promise, participant):
    services.pledge_create(promise=promise, user=participant)
    with keeps(promise):
        Promise.objects.filter(pk=promise.pk).update(city=promise.city)  # the same value
    with keeps(promise):
        participant.last_login = timezone.now()  # every log-in
        participant.save(update_fields=["last_login"])


def test_a_change_rolled_back_leaves_the_version_as_it_was(promise, participant):
    before = version(promise)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.pledge_create(promise=promise, user=participant)
        assert version(promise) > before  # inside the transaction, it has moved
        raise RuntimeError("the request fails after the pledge")
    assert version(promise) == before
    assert not Pledge.objects.filter(promise=promise, user=participant).exists()
