from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "pilar.regions"
    label = "regions"
