from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pilar.reports"
    label = "reports"
