from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "pilar.programs"
    label = "programs"
    verbose_name = _("Program dan penerima manfaat")

    def ready(self) -> None:
        # BNBA sheets' PKH/BPNT/PBI flags become enrollments (the registry's importer imports no program code).
        from pilar.programs.imports import enroll_flagged, flags_for
        from pilar.registry.importer.hooks import on_flags_wanted, on_program_flags

        on_program_flags(enroll_flagged)
        on_flags_wanted(flags_for)
