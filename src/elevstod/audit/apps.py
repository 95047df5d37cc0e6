from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "elevstod.audit"
    label = "audit"
