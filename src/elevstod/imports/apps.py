from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "elevstod.imports"
    label = "imports"
