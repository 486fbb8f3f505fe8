from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from . import export

        # The profile and the addresses, in the data export's registry.
        export.register(*export.ACCOUNT_SECTIONS)
