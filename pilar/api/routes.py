"""Mounts every router of ``/api/v1``."""

from pilar.api.api import api
from pilar.api.endpoints import auth, evidence, imports, ppks, regions, registry, workers

api.add_router("/auth", auth.router)
api.add_router("/regions", regions.router)
api.add_router("/workers", workers.router)
api.add_router("/categories", registry.categories)
api.add_router("/persons", registry.persons)
api.add_router("/households", registry.households)
api.add_router("/ppks", ppks.router)
api.add_router("/ppks", evidence.router)  # /ppks/<id>/evidence
api.add_router("/imports", imports.router)

from pilar.api.endpoints import referrals  # noqa: E402

api.add_router("/referrals", referrals.router)
api.add_router("/agencies", referrals.agencies)

from pilar.api.endpoints import cases  # noqa: E402

api.add_router("/cases", cases.router)

from pilar.api.endpoints import complaints  # noqa: E402

api.add_router("/complaints", complaints.router)

from pilar.api.endpoints import activities  # noqa: E402

api.add_router("/activity-reports", activities.router)
api.add_router("/roadshow", activities.roadshow)

from pilar.api.endpoints import trainings  # noqa: E402

api.add_router("/trainings", trainings.router)

from pilar.api.endpoints import incentives  # noqa: E402

api.add_router("/payroll-runs", incentives.router)
api.add_router("/payslips", incentives.payslips)

from pilar.api.endpoints import programs  # noqa: E402

api.add_router("/programs", programs.programs)
api.add_router("/enrollments", programs.enrollments)
