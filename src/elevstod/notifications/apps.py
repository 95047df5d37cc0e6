from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "elevstod.notifications"
    label = "notifications"
