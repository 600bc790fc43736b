from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "pilar.regional"
    label = "regional"
    verbose_name = _("Data daerah")

    def ready(self) -> None:
        post_migrate.connect(_load_configured_pack, sender=self)


def _load_configured_pack(sender, using: str = "default", **kwargs) -> None:
    # After every migrate (and every flush of a test database) the configured region's pack is loaded once:
    # a fresh install gets its own region's programs, agencies and rates, never another city's.
    if using != "default":
        return
    from pilar.regional.loader import ensure_configured_pack

    ensure_configured_pack()
