from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "placette.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"
