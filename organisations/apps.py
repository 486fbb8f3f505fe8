from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        # Memberships and invitations sent, in the data export.
        from accounts import export as data_export

        from . import export

        data_export.register(*export.SECTIONS)

        # allauth's email_confirmed: an admin's address proves the domain.
        from . import receivers  # noqa: F401
