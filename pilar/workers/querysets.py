"""Worker queries that start from the user's area: every list and detail goes through ``visible_to``."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import restriction_aware
from pilar.identity.search import name_q

if TYPE_CHECKING:
    from pilar.workers.models import Worker  # noqa: F401 (named in a string: the models import this module)


class WorkerQuerySet(models.QuerySet["Worker"]):
    @restriction_aware("person")  # a PSM is a person too: UU PDP restriction hides their record as any other
    def visible_to(self, user) -> "WorkerQuerySet":
        access = access_for(user)
        if Perm.WORKER_VIEW not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        # TKSK see their whole kecamatan; PSM only their own kelurahan.
        return self.filter(Q(kecamatan_id__in=access.kecamatan_ids) | Q(kelurahan_id__in=access.village_ids))

    def active(self) -> "WorkerQuerySet":
        return self.filter(status="aktif")

    def psm(self) -> "WorkerQuerySet":
        return self.filter(role="psm")

    def tksk(self) -> "WorkerQuerySet":
        return self.filter(role="tksk")

    def with_person(self) -> "WorkerQuerySet":
        return self.select_related("person", "person__village", "kecamatan", "kelurahan")

    def search(self, text: str) -> "WorkerQuerySet":
        """By name (ignoring case, spacing and titles) or by NIK (whole, or its last digits)."""
        text = (text or "").strip()
        if not text:
            return self
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) == len(text.replace(" ", "")):
            if len(digits) == 16:
                return self.filter(person__nik=digits)
            return self.filter(person__nik__endswith=digits) if len(digits) >= 4 else self.none()
        return self.filter(name_q(text, "person__"))

    def filter_area(self, *, kecamatan: str | None = None, kelurahan: str | None = None) -> "WorkerQuerySet":
        """Filter by region codes (``36.71.01``, ``36.71.01.1001``)."""
        qs = self
        if kecamatan:
            qs = qs.filter(kecamatan__code=kecamatan)
        if kelurahan:
            qs = qs.filter(kelurahan__code=kelurahan)
        return qs
