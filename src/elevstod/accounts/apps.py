from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "elevstod.accounts"
    label = "accounts"
