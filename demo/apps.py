from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo of `make run`. At the top of the apps' order: it plays stories through the
    services of every app below it (accounts, promises, discussions)."""

    name = "demo"
    verbose_name = "Démo"
