from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data across every module; sits above them all so that none imports another for it."""

    name = "pilar.demo"
    label = "demo"
