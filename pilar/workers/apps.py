from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "pilar.workers"
    label = "workers"
