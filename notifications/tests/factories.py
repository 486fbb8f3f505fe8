from accounts.tests.factories import UserFactory
from promises import services


def reach(promise, extra: int = 0):
    """Pledge enough people to reach the promise (plus `extra` late joiners); returns them."""
    people = UserFactory.create_batch(promise.objective - promise.pledge_count + extra)
    for user in people:
        services.pledge_create(promise=promise, user=user)
    promise.refresh_from_db()
    return people
