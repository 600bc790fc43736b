"""Enrollments are seen by area (PSM kelurahan, TKSK kecamatan, Dinsos the city) and by agency (OPD users see
the enrollments of the programs their agency owns)."""

from django.db import models
from django.db.models import Q

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import restriction_aware
from pilar.regions.models import Region


class EnrollmentQuerySet(models.QuerySet):
    agency_path = "program__agency_id"

    @restriction_aware()
    def visible_to(self, user):
        access = access_for(user)
        if Perm.ENROLLMENT_VIEW not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        return self.filter(
            Q(kecamatan_id__in=access.kecamatan_ids)
            | Q(kelurahan_id__in=access.village_ids)
            | Q(**{f"{self.agency_path}__in": access.agency_ids})
        )

    def filter_area(self, *, kecamatan: str = "", kelurahan: str = ""):
        """By region codes, resolved to ids first (one index walk instead of a join on the code)."""
        qs = self
        for field, code in (("kecamatan_id", kecamatan), ("kelurahan_id", kelurahan)):
            if code:
                region_id = Region.objects.filter(code=code).values_list("id", flat=True).first()
                qs = qs.filter(**{field: region_id}) if region_id else qs.none()
        return qs

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
