from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "pilar.stats"
    label = "stats"
    verbose_name = "Ringkasan angka dasbor"
