from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "pilar.stats"
    label = "stats"
    verbose_name = "Ringkasan angka dasbor"

    def ready(self) -> None:
        # The registry's lists take their size from these tables above the count cap; the registry sits
        # below this app and cannot import it.
        from pilar.registry.selectors import PPKS_ESTIMATE
        from pilar.stats.counts import ppks_estimate

        if ppks_estimate not in PPKS_ESTIMATE:
            PPKS_ESTIMATE.append(ppks_estimate)
