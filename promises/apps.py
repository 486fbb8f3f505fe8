from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = "Promesses"

    def ready(self) -> None:
        from notifications import kinds

        from . import alerts, emails, receivers  # noqa: F401  (receivers: allauth's signals, for a pledge made while signing up)

        # The promises' emails, in the outbox's registry.
        kinds.register(*emails.TOPICS, *emails.KINDS, alerts.TOPIC, alerts.SOURCE)

        # What deleting an account does to pledges and promises led (promises.deletion).
        from accounts import deletion

        from .deletion import promises_erase

        deletion.register(deletion.Eraser("promises", 10, erase=promises_erase))

        # What leaving an organisation does to its promises for members only.
        from organisations.services import on_leave_register

        from .leaving import promises_on_leave

        on_leave_register(promises_on_leave)

        # Pledges, news and share links in the data export; who the retention keeps.
        from accounts import export as data_export
        from accounts import retention

        from . import export

        data_export.register(*export.SECTIONS)
        retention.keeper_register(*export.RETENTION_KEEPERS)

        # An organisation's admin gets a promise page of their own ("Votre organisation
        # soutient cette promesse ?"): promises.commitments.
        from . import caching, commitments

        caching.register_personal(commitments.sponsor_viewer)
