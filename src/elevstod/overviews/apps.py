from django.apps import AppConfig


class OverviewsConfig(AppConfig):
    name = "elevstod.overviews"
    label = "overviews"

    def ready(self) -> None:
        from . import aggregates

        aggregates.register_sqlite_median()
