from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top of the dependency graph: the start page, the site's navigation and the demo
    loader, which put the other apps together. No other app imports it."""

    name = "elevstod.home"
    label = "home"
