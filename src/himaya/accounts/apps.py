from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "himaya.accounts"
    label = "accounts"

    def ready(self) -> None:
        from himaya.accounts import backends  # noqa: F401  (connects the login signals)
