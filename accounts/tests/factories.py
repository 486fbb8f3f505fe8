import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "Promesse-tenue-2027"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a confirmed email address; pass verified=False for one who has not
    confirmed it yet."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Faker("first_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
