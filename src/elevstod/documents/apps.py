from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "elevstod.documents"
    label = "documents"
