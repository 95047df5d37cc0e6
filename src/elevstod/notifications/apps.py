from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "elevstod.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (what the notifications app contributes to others)
