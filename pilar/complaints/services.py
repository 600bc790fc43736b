"""Every change to a complaint: submitted by a resident, then triaged into a case or closed with a reason
(the steps are declared in ``pilar.complaints.workflow``; each calls its guard first).

A submission comes from anonymous residents: it is rate-limited per client here, in the same
transaction as the insert, so that the page and the API obey one limit and a refusal saves nothing.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Role, RoleAssignment, User
from pilar.cases.models import Case
from pilar.cases.services import case_open
from pilar.complaints import guard
from pilar.complaints.models import Complaint
from pilar.complaints.workflow import COMPLAINT
from pilar.core.errors import chosen
from pilar.notifications.services import notify
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of
from pilar.registry.models import Category

# No 0/O, 1/I: a code read out over the phone or copied from paper must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 32^10 ≈ 10^15: not guessable, even at the status page's rate limit
PHOTO_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass
class ComplaintData:
    kelurahan: Region
    address: str
    description: str
    subject_name: str = ""
    subject_age: int | None = None
    subject_sex: str = ""
    rt: str = ""
    rw: str = ""
    category: Category | None = None
    reporter_name: str = ""
    reporter_phone: str = ""


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_tracking_code(value: str) -> str:
    """What a resident types ("abcd-efgh 23") as stored ("ABCDEFGH23")."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def area_workers(complaint: Complaint) -> list[User]:
    """The PSM of the complaint's kelurahan and the TKSK of its kecamatan, as assigned today; when the area
    has neither (a vacancy), the Dinsos operators, so that no report waits unseen."""
    grants = RoleAssignment.objects.current().filter(
        Q(role=Role.PSM, region_id=complaint.kelurahan_id) | Q(role=Role.TKSK, region_id=complaint.kecamatan_id)
    )
    workers = list(User.objects.filter(pk__in=grants.values("user_id"), is_active=True))
    if workers:
        return workers
    operators = RoleAssignment.objects.current().filter(role=Role.OPERATOR)
    return list(User.objects.filter(pk__in=operators.values("user_id"), is_active=True))


@transaction.atomic
def complaint_submit(
    *,
    data: ComplaintData,
    client: str,
    channel: str = Complaint.Channel.WEB,
    photo: Any = None,
    actor: User | None = None,
) -> Complaint:
    """A resident's report, with a fresh tracking code; the area's PSM and TKSK are notified.

    ``photo`` is an upload already checked by ``pilar.core.uploads`` (``checked_content_type`` set).
    ``actor``: the field worker who took the report in on the resident's behalf (the caller checks their area);
    signed in and named in the audit entry, so the anonymous quota does not apply to them.
    """
    if actor is None:
        guard.check_rate("submit", client)
    if not data.kelurahan.is_village:
        raise ValidationError({"kelurahan": [_("Pilih kelurahan.")]})
    complaint = Complaint(**data.__dict__, kecamatan=kecamatan_of(data.kelurahan), channel=channel)
    for _attempt in range(5):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            # A code already in use (one chance in 10^15 per complaint): draw another.
            continue
    else:  # pragma: no cover - would mean a broken random source
        raise RuntimeError("no free tracking code after 5 draws")
    if photo is not None:
        _attach_photo(complaint, photo)
    audit.record(
        actor,
        "complaints.complaint.submitted",
        complaint,
        data={"kelurahan": data.kelurahan.code, "channel": channel, "photo": photo is not None},
    )
    notify(
        recipients=area_workers(complaint),
        kind="complaints.new",
        title=_("Pengaduan baru di Kelurahan %(kelurahan)s") % {"kelurahan": data.kelurahan.name},
        url=complaint.get_absolute_url(),
        body=_("Kode %(code)s menunggu ditinjau: jadikan kasus atau tutup dengan alasan.")
        % {"code": complaint.tracking_code},
    )
    return complaint


def _attach_photo(complaint: Complaint, photo: Any) -> None:
    # The stored name is the tracking code: a resident's file name may carry a name or a place.
    content_type = photo.checked_content_type
    complaint.photo.save(f"{complaint.tracking_code}.{PHOTO_EXTENSIONS[content_type]}", photo, save=False)
    complaint.photo_content_type, complaint.photo_size = content_type, photo.size
    complaint.save(update_fields=["photo", "photo_content_type", "photo_size"])


def case_summary(complaint: Complaint) -> str:
    who = complaint.subject_name or _("(nama belum diketahui)")
    details = [who]
    if complaint.subject_age:
        details.append(_("± %(age)s tahun") % {"age": complaint.subject_age})
    if complaint.subject_sex:
        details.append(str(complaint.get_subject_sex_display()))
    header = _("Dari pengaduan masyarakat %(code)s: %(who)s.") % {
        "code": complaint.tracking_code,
        "who": ", ".join(details),
    }
    return f"{header}\n\n{complaint.description}"


def complaint_address(complaint: Complaint) -> str:
    parts = [complaint.address]
    if complaint.rt or complaint.rw:
        parts.append(f"RT {complaint.rt or '-'}/RW {complaint.rw or '-'}")
    return ", ".join(p for p in parts if p)


def _triaged(complaint: Complaint, actor: User, changed: list[str], action: str, data: dict[str, Any]) -> Complaint:
    """A new complaint's triage (converted to a case, or closed) saved with who did it, and its audit entry."""
    complaint.triaged_by, complaint.triaged_at = actor, timezone.now()
    complaint.save(update_fields=[*changed, "triaged_by", "triaged_at", "updated_at"])
    audit.record(
        actor,
        f"complaints.complaint.{action}",
        complaint,
        changes={"status": [Complaint.Status.NEW, complaint.status]},
        data=data,
    )
    return complaint


@transaction.atomic
def complaint_convert(*, complaint: Complaint, actor: User, category: Category, note: str = "") -> Complaint:
    """Opens a case of the complaint's kelurahan (source: public complaint) and links it to the complaint."""
    complaint = COMPLAINT.guard("convert", complaint, actor)
    if category.kind != Category.Kind.PPKS:
        raise ValidationError({"category": [_("Kategori harus salah satu dari 26 jenis PPKS.")]})
    summary = case_summary(complaint) + (f"\n\n{note.strip()}" if note.strip() else "")
    unknown = _("Belum diketahui (pengaduan %(code)s)") % {"code": complaint.tracking_code}
    case = case_open(
        actor=actor,
        kelurahan=complaint.kelurahan,
        category=category,
        source=Case.Source.COMPLAINT,
        summary=summary,
        reporter_name=complaint.reporter_name,
        address=complaint_address(complaint),
        subject_name=complaint.subject_name or unknown,
    )
    complaint.case, complaint.status = case, Complaint.Status.CONVERTED
    complaint.category = complaint.category or category
    return _triaged(complaint, actor, ["case", "status", "category"], "converted", {"case": case.pk})


NOTE_REQUIRED = (Complaint.CloseReason.DUPLICATE, Complaint.CloseReason.OTHER)


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, reason: str, note: str = "") -> Complaint:
    """Closes a complaint that needs no case, with the reason the status page and the reports count."""
    complaint = COMPLAINT.guard("close", complaint, actor)
    chosen("reason", reason, Complaint.CloseReason.values, _("Alasan penutupan wajib dipilih."))
    if reason in NOTE_REQUIRED and not note.strip():
        message = _("Untuk alasan ini, tuliskan keterangannya (mis. kode pengaduan yang sama).")
        raise ValidationError({"note": [message]})
    complaint.status, complaint.close_reason, complaint.close_note = Complaint.Status.CLOSED, reason, note.strip()
    changed = ["status", "close_reason", "close_note"]
    return _triaged(complaint, actor, changed, "closed", {"reason": reason, "note": note.strip()})


@transaction.atomic
def complaint_link_reporter(*, complaint: Complaint, actor: User, person: Any) -> Complaint:
    """Link the complaint to its reporter as a registered person (``None`` removes the link), so that the
    person's data export includes it. Dinsos sets it from the NIK the reporter gives; audited either way."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    before = complaint.reporter_person_id
    complaint.reporter_person = person
    complaint.save(update_fields=["reporter_person", "updated_at"])
    audit.record(
        actor,
        "complaints.complaint.reporter_linked" if person else "complaints.complaint.reporter_unlinked",
        complaint,
        changes={"reporter_person": [before, complaint.reporter_person_id]},
    )
    return complaint


@transaction.atomic
def complaints_erase_contacts(*, triaged_before: Any, actor: User | None = None) -> int:
    """Erase the reporter's name and phone and the photo of complaints triaged before ``triaged_before``.

    Once a complaint is a case or closed, the reporter's contact has served its purpose (UU PDP: keep
    personal data no longer than needed); the case keeps what the work needs. Returns how many were erased.
    """
    stale = list(
        Complaint.objects.select_for_update()
        .filter(triaged_at__lt=triaged_before)
        .exclude(reporter_name="", reporter_phone="", photo="", reporter_person__isnull=True)
    )
    for complaint in stale:
        if complaint.photo:
            complaint.photo.delete(save=False)
        complaint.reporter_name = complaint.reporter_phone = ""
        complaint.photo_content_type, complaint.photo_size = "", None
        complaint.reporter_person = None  # who reported is contact data too
    fields = ["reporter_name", "reporter_phone", "photo", "photo_content_type", "photo_size", "reporter_person"]
    Complaint.objects.bulk_update(stale, fields, batch_size=500)
    audit.record_many(actor, "complaints.complaint.contact_erased", stale)
    return len(stale)
