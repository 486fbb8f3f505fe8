from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "E-mails"

    def ready(self) -> None:
        from accounts import export as data_export

        from . import export

        # The email preferences, in the data export's registry.
        data_export.register(*export.SECTIONS)

        from accounts import deletion

        from .deletion import notifications_erase

        # What deleting an account erases here: the email preferences.
        deletion.register(deletion.Eraser("notifications", 30, erase=notifications_erase))
