from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pilar.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from pilar.accounts import events
        from pilar.accounts.middleware import note_second_factor_at_sign_in
        from pilar.accounts.permissions import can
        from pilar.core.access import register_permission_check

        register_permission_check(can)  # core's get_for_user answers 403 through the roles

        user_logged_in.connect(note_second_factor_at_sign_in, dispatch_uid="pilar.accounts.second_factor")
        events.connect()
