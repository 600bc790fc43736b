"""Worker queries that start from the user's area: every list and detail goes through ``visible_to``."""

from typing import TYPE_CHECKING

from pilar.accounts.permissions import Perm
from pilar.identity.search import name_q
from pilar.regions.querysets import AreaQuerySet

if TYPE_CHECKING:
    from pilar.workers.models import Worker  # noqa: F401 (named in a string: the models import this module)


class WorkerQuerySet(AreaQuerySet["Worker"]):
    # TKSK see their whole kecamatan; PSM only their own kelurahan. A PSM is a person too: UU PDP restriction
    # hides their record as any other.
    view_perm = Perm.WORKER_VIEW
    restriction_paths = ("person",)

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
        """Filter by region codes (``36.71.01``, ``36.71.01.1001``), joined in the same query rather than
        resolved to ids first as the large registers do: a roster of a few hundred rows needs no index walk."""
        qs = self
        if kecamatan:
            qs = qs.filter(kecamatan__code=kecamatan)
        if kelurahan:
            qs = qs.filter(kelurahan__code=kelurahan)
        return qs
