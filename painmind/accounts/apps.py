from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painmind.accounts"
    label = "accounts"
    verbose_name = "Accounts, consent and audit"

    def ready(self) -> None:
        from painmind.accounts import signals

        signals.connect()
