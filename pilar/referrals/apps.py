from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "pilar.referrals"
    label = "referrals"
    verbose_name = _("Rujukan lintas sektor")

    def ready(self) -> None:
        # The case page shows every step of the case's referrals; cases cannot import referrals (it sits below).
        from pilar.cases.selectors import TIMELINE_SOURCES
        from pilar.referrals.selectors import case_timeline_items

        if case_timeline_items not in TIMELINE_SOURCES:
            TIMELINE_SOURCES.append(case_timeline_items)
