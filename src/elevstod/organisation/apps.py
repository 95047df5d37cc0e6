from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "elevstod.organisation"
    label = "organisation"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (what the organisation app contributes to others)
