from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "pilar.identity"
    label = "identity"
