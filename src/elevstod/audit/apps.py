from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "elevstod.audit"
    label = "audit"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (what the audit app contributes to others)
