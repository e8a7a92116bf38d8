from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painmind.accounts"
    label = "accounts"
    verbose_name = "Accounts, consent and audit"

    def ready(self) -> None:
        from painmind.accounts import checks, signals  # noqa: F401  (register the system checks)

        signals.connect()

        from django.contrib.auth.signals import user_logged_in

        from painmind.accounts.signin.emails import on_login

        user_logged_in.connect(on_login, dispatch_uid="painmind.accounts.ensure_email_address")
