from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "elevstod.support"
    label = "support"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (what the support app contributes to others)
