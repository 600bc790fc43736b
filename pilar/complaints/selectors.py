"""Reads of complaints: the staff queue from the user's area, and the public status by tracking code."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.accounts.permissions import Perm
from pilar.accounts.visibility import Level, Subject, Visibility, visibility_for
from pilar.complaints.models import Complaint
from pilar.complaints.services import normalize_tracking_code
from pilar.core.access import get_for_user
from pilar.core.listing import ListFilter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development dependency: for the checker only


@dataclass(frozen=True)
class ComplaintFilter(ListFilter):
    kecamatan: str = ""
    kelurahan: str = ""
    status: str = ""


def complaint_list(user: Any, filters: ComplaintFilter = ComplaintFilter()) -> QuerySet[Complaint]:
    qs = Complaint.objects.visible_to(user).listing()
    qs = qs.filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-id")


def get_complaint_for_user(user: Any, pk: int, perm: Perm = Perm.COMPLAINT_VIEW) -> Complaint:
    """The complaint if it lies in the user's area (404 otherwise); 403 if visible but ``perm`` is not held."""
    return get_for_user(Complaint.objects.visible_to(user).listing().select_related("triaged_by"), user, pk, perm)


@dataclass(frozen=True)
class Shown:
    """A complaint as one user may see it, through the visibility table's row for complaints."""

    complaint: Complaint
    view: Visibility

    @property
    def unmasked(self) -> bool:
        # Those who act on complaints (PSM, TKSK, Dinsos) see the whole complaint; the others a summary.
        return self.view.level("address") == Level.FULL

    @property
    def subject_name(self) -> str:
        return self.view.name(self.complaint.subject_name)

    @property
    def address(self) -> str:
        return self.view.address(self.complaint.address) or _("(disembunyikan)")

    @property
    def rt(self) -> str:
        return self.view.rt_rw(self.complaint.rt)

    @property
    def rw(self) -> str:
        return self.view.rt_rw(self.complaint.rw)

    @property
    def reporter_name(self) -> str:
        return self.view.name(self.complaint.reporter_name) if self.unmasked else ""

    @property
    def reporter_phone(self) -> str:
        return self.view.phone(self.complaint.reporter_phone)

    @property
    def description(self) -> str:
        # The resident's own words usually name people and places: shown only to those who act on them.
        return self.view.notes(self.complaint.description) or _("(disembunyikan)")

    @property
    def has_photo(self) -> bool:
        return bool(self.complaint.photo) and self.view.notes_of(None)


def shown(user: Any, complaint: Complaint) -> Shown:
    return Shown(complaint, visibility_for(user, complaint, subject=Subject.COMPLAINT))


@dataclass(frozen=True)
class PublicStatus:
    """All a tracking code reveals: the status and its dates, nothing about the people or the case."""

    tracking_code: str
    status: str
    status_label: str
    submitted_at: datetime
    reviewed_at: datetime | None
    finished_at: datetime | None  # when the case opened from it was closed


PUBLIC_LABELS: "dict[str, StrOrPromise]" = {
    Complaint.Status.NEW: gettext_lazy("Diterima, menunggu ditinjau petugas"),
    Complaint.Status.CONVERTED: gettext_lazy("Ditindaklanjuti sebagai kasus oleh petugas"),
    Complaint.Status.CLOSED: gettext_lazy("Selesai ditinjau"),
}
HANDLED = gettext_lazy("Selesai ditangani")


def public_status(code: str) -> PublicStatus | None:
    code = normalize_tracking_code(code)
    if not code:
        return None
    row = (
        Complaint.objects.filter(tracking_code=code)
        .values("status", "created_at", "triaged_at", "case__closed_at")
        .first()
    )
    if row is None:
        return None
    # A case reopened later has no closing date again, and the complaint reads "in progress" again.
    finished = row["case__closed_at"]
    return PublicStatus(
        tracking_code=code,
        status=row["status"],
        status_label=str(HANDLED if finished else PUBLIC_LABELS[row["status"]]),
        submitted_at=row["created_at"],
        reviewed_at=row["triaged_at"],
        finished_at=finished,
    )
