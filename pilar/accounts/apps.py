from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pilar.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from pilar.accounts import events
        from pilar.accounts.middleware import note_second_factor_at_sign_in

        user_logged_in.connect(note_second_factor_at_sign_in, dispatch_uid="pilar.accounts.second_factor")
        events.connect()
