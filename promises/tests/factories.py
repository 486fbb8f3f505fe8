import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from promises import services
from promises.models import Promise, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PromiseFactory(factory.django.DjangoModelFactory):
    """A promise created through the service, so its initiator is its first participant."""

    class Meta:
        model = Promise

    created_by = factory.SubFactory(UserFactory)
    action = "aller nettoyer la plage de Biscarosse le samedi 8 juillet"
    objective = 50
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    description = "On se retrouve au poste de secours.\nPrévoir des gants."
    city = "Biscarosse"

    @classmethod
    def _create(cls, model_class, *args, themes=None, **kwargs):
        return services.promise_create(themes=themes or [ThemeFactory()], **kwargs)


def reach(promise, extra: int = 0):
    """Pledge enough people to reach the promise (plus `extra` late joiners); returns them."""
    people = UserFactory.create_batch(promise.objective - promise.pledge_count + extra)
    for user in people:
        services.pledge_create(promise=promise, user=user)
    promise.refresh_from_db()
    return people
