"""The start page's work queue: what is waiting for this user, one count and one link per kind of work.

Each item appears only for users who hold the permission to act on it, and counts through the same
``visible_to`` scopes as the lists the links open, so the number on the start page is the number of
rows the user finds there.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, access_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development dependency: for the checker only


@dataclass(frozen=True)
class Item:
    label: "StrOrPromise"  # lazy: translated when the start page renders
    count: int
    url: str
    urgent: bool = False  # overdue work: shown first and highlighted


def _registry(user: Any) -> list[Item]:
    from pilar.registry.models import PpksRecord, PpksStatus

    items: list[Item] = []
    perms = access_for(user).perms
    records = PpksRecord.objects.visible_to(user)
    if Perm.PPKS_VERIFY in perms:
        count = records.filter(status=PpksStatus.PROPOSED).count()
        items.append(Item(_("Usulan PPKS menunggu verifikasi"), count, _url("registry:ppks_list", status="diusulkan")))
    if Perm.PPKS_VALIDATE in perms:
        count = records.filter(status=PpksStatus.VERIFIED).count()
        url = _url("registry:ppks_list", status="diverifikasi")
        items.append(Item(_("Data PPKS menunggu penetapan"), count, url))
    if Perm.PPKS_PROPOSE in perms:
        count = records.filter(status=PpksStatus.NEEDS_FIX, reported_by=user).count()
        url = _url("registry:ppks_list", status="perlu_perbaikan")
        items.append(Item(_("Usulan Anda yang perlu diperbaiki"), count, url))
    return items


def _cases(user: Any) -> list[Item]:
    from pilar.cases.models import Case, Plan, Transfer

    items: list[Item] = []
    perms = access_for(user).perms
    if Perm.CASE_VIEW not in perms:
        return items
    cases = Case.objects.visible_to(user)
    mine = cases.open().assigned_to(user).distinct()
    items.append(
        Item(_("Kasus terbuka yang Anda tangani"), mine.count(), _url("cases:list", stage="terbuka", mine="1"))
    )
    overdue = cases.open().overdue().count()
    items.append(Item(_("Kasus melewati target tahap"), overdue, _url("cases:list", overdue="1"), urgent=True))
    if Perm.CASE_APPROVE_PLAN in perms:
        waiting = Plan.objects.filter(case__in=cases, status=Plan.Status.PENDING).exclude(author=user).count()
        items.append(Item(_("Rencana intervensi menunggu persetujuan"), waiting, _url("cases:list", stage="rencana")))
    incoming = Transfer.objects.filter(to_user=user, status=Transfer.Status.PENDING).count()
    items.append(Item(_("Serah terima kasus untuk Anda"), incoming, _url("cases:list", mine="1")))
    return items


def _referrals(user: Any) -> list[Item]:
    from pilar.referrals.models import Referral, ReferralStatus

    if Perm.REFERRAL_DECIDE not in access_for(user).perms:
        return []
    waiting = Referral.objects.visible_to(user).decidable_by(user).filter(status=ReferralStatus.SENT)
    overdue = waiting.overdue().count()
    return [
        Item(_("Rujukan menunggu jawaban"), waiting.count(), _url("referrals:list", status=ReferralStatus.SENT)),
        Item(_("Rujukan lewat tenggat jawaban"), overdue, _url("referrals:list", overdue="1"), urgent=True),
    ]


def _complaints(user: Any) -> list[Item]:
    from pilar.complaints.models import Complaint

    if Perm.COMPLAINT_TRIAGE not in access_for(user).perms:
        return []
    count = Complaint.objects.visible_to(user).filter(status=Complaint.Status.NEW).count()
    return [Item(_("Pengaduan baru menunggu ditinjau"), count, _url("complaints:queue", status="baru"))]


def _activities(user: Any) -> list[Item]:
    from pilar.activities.models import ActivityReport

    if Perm.ACTIVITY_CHECK not in access_for(user).perms:
        return []
    count = ActivityReport.objects.visible_to(user).awaiting_check().count()
    url = _url("activities:list", status=ActivityReport.Status.SUBMITTED)
    return [Item(_("Laporan kegiatan PSM menunggu diperiksa"), count, url)]


def _payroll(user: Any) -> list[Item]:
    from pilar.incentives.models import PayrollRun

    if Perm.PAYROLL_APPROVE not in access_for(user).perms:
        return []
    runs = PayrollRun.objects.visible_to(user).filter(status=PayrollRun.Status.DRAFT).exclude(generated_by=user)
    return [Item(_("Daftar insentif menunggu persetujuan Anda"), runs.count(), reverse("incentives:runs"))]


def _trainings(user: Any) -> list[Item]:
    from pilar.trainings.models import Participant, Response

    if Perm.TRAINING_CHECKIN not in access_for(user).perms:
        return []
    count = Participant.objects.filter(worker__user=user, response=Response.PENDING).count()
    return [Item(_("Undangan pelatihan yang belum Anda jawab"), count, reverse("trainings:mine"))]


def _rights(user: Any) -> list[Item]:
    from pilar.rights.models import DataRequest

    requests = DataRequest.objects.visible_to(user)
    if not access_for(user).city_wide or Perm.RIGHTS_MANAGE not in access_for(user).perms:
        return []
    overdue = requests.overdue().count()
    return [
        Item(_("Permintaan subjek data terbuka"), requests.open().count(), reverse("rights:list")),
        Item(_("Permintaan subjek data lewat 3×24 jam"), overdue, _url("rights:list", status="terlambat"), urgent=True),
    ]


SOURCES: list[Callable[[Any], list[Item]]] = [
    _registry,
    _cases,
    _referrals,
    _complaints,
    _activities,
    _payroll,
    _trainings,
    _rights,
]


def work_queue(user: Any) -> list[Item]:
    """Waiting work, overdue first; kinds with nothing waiting are left out."""
    items = [item for source in SOURCES for item in source(user) if item.count]
    return sorted(items, key=lambda item: not item.urgent)


def _url(name: str, **params: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)
