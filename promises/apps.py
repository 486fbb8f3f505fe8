from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = "Promesses"

    def ready(self) -> None:
        from notifications import kinds

        from . import emails, receivers  # noqa: F401  (receivers: allauth's signals, for a pledge made while signing up)

        # The promises' emails, in the outbox's registry.
        kinds.register(*emails.TOPICS, *emails.KINDS)
