"""Mounts every router of ``/api/v1``."""

from pilar.api.api import api
from pilar.api.endpoints import (
    activities,
    auth,
    cases,
    complaints,
    dashboard,
    duplicates,
    evidence,
    exports,
    imports,
    incentives,
    ppks,
    programs,
    referrals,
    regions,
    registry,
    reports,
    rights,
    trainings,
    workers,
)


def mount() -> None:
    # In a function, so that the type checker reads the routers after their modules (api ↔ endpoints import
    # each other: ``api`` imports this module to mount them).
    api.add_router("/auth", auth.router)
    api.add_router("/regions", regions.router)
    api.add_router("/dashboard", dashboard.router)
    api.add_router("/reports", reports.router)
    api.add_router("/workers", workers.router)
    api.add_router("/categories", registry.categories)
    api.add_router("/persons", registry.persons)
    api.add_router("/persons", rights.persons_export)  # /persons/<id>/export
    api.add_router("/households", registry.households)
    api.add_router("/duplicates", duplicates.router)
    api.add_router("/ppks", exports.ppks_export)  # /ppks/export, before /ppks/<id>
    api.add_router("/ppks", ppks.router)
    api.add_router("/ppks", evidence.router)  # /ppks/<id>/evidence
    api.add_router("/imports", imports.router)
    api.add_router("/exports", exports.router)
    api.add_router("/import-profiles", imports.profiles)
    api.add_router("/referrals", referrals.router)
    api.add_router("/agencies", referrals.agencies)
    api.add_router("/cases", cases.router)
    api.add_router("/complaints", complaints.router)
    api.add_router("/activity-reports", activities.router)
    api.add_router("/roadshow", activities.roadshow)
    api.add_router("/trainings", trainings.router)
    api.add_router("/payroll-runs", incentives.router)
    api.add_router("/payslips", incentives.payslips)
    api.add_router("/programs", programs.programs)
    api.add_router("/enrollments", programs.enrollments)


mount()
