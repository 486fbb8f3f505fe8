import pytest

from accounts.tests.factories import UserFactory
from discussions import services
from promises import services as promise_services


@pytest.fixture
def withdrawn(pledged):
    """Someone who pledged, then withdrew."""
    user = UserFactory(display_name="Wanda")
    promise_services.pledge_create(promise=pledged, user=user)
    promise_services.pledge_withdraw(promise=pledged, user=user)
    return user


@pytest.fixture
def post(pledged, participant):
    return services.post_create(promise=pledged, author=participant, text="On se retrouve à 9 h ?")


@pytest.fixture
def as_user(client, request):
    """as_user("initiator") → the test client logged in as that member of the cast."""

    def login(who: str):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        return client

    return login
