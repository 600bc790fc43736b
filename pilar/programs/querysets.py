"""Enrollments are seen by area (PSM kelurahan, TKSK kecamatan, Dinsos the city) and by agency (OPD users see
the enrollments of the programs their agency owns)."""

from django.db.models import Q

from pilar.accounts.permissions import Access, Perm
from pilar.regions.querysets import AreaQuerySet


class EnrollmentQuerySet(AreaQuerySet):
    view_perm = Perm.ENROLLMENT_VIEW
    agency_path = "program__agency_id"

    def seen_by(self, user, access: Access) -> Q:
        return super().seen_by(user, access) | Q(**{f"{self.agency_path}__in": access.agency_ids})

    def listing(self):
        return self.select_related(
            "program", "period", "person", "household__head", "record__category", "kelurahan", "kecamatan"
        )


class HouseAssessmentQuerySet(EnrollmentQuerySet):
    agency_path = "enrollment__program__agency_id"

    def listing(self):
        return self.select_related(
            "enrollment__program", "enrollment__period", "enrollment__household__head", "kelurahan", "kecamatan"
        )
