from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "elevstod.conversations"
    label = "conversations"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (what the app contributes to others)
