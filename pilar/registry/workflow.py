"""The PPKS record's verval workflow on one screen (Permensos 3/2021: usulan → verifikasi dan validasi → penetapan).

    diusulkan ──verifikasi──▶ diverifikasi ──tetapkan──▶ ditetapkan ──keluarkan──▶ keluar
       │  (field check not "ditemukan": ditolak)   │
       ├──kembalikan──▶ perlu perbaikan ──ajukan ulang──▶ diusulkan
       └──tolak (also from perlu perbaikan and diverifikasi)──▶ ditolak

A reviewer (a TKSK's field check, Dinsos' decision) never checks their own proposal; the proposer's own steps
(resubmitting) and an exit are not such a check. Proposing is not a step: it creates the record.

The import job (``IMPORT``) and the data conflicts it held (``CONFLICT``) are declared below:

    import: pratinjau ──(mapping page)──▶ antre ──▶ berjalan ──▶ selesai | ditolak | gagal ──coba lagi──▶ new job
    conflict: terbuka ──orang sama──▶ orang_sama
                 └─────orang lain──▶ orang_lain

Running an import and confirming its column mapping (a page of its own, with the preview) are not steps here.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.workflow import Rule, Step, Text, Workflow, user_kwargs
from pilar.registry.forms import (
    ConflictSameForm,
    ExitForm,
    ReasonForm,
    ResubmitForm,
    ValidateForm,
    VerifyForm,
)
from pilar.registry.import_models import ImportConflict
from pilar.registry.models import ImportJob, PpksRecord, PpksStatus

S = PpksStatus
# Returning and rejecting are for either reviewer: the TKSK in the field or Dinsos deciding.
REVIEWERS = (Perm.PPKS_VERIFY, Perm.PPKS_VALIDATE)


def _may(user: Any, perm: Perm | tuple[Perm, ...], record: PpksRecord) -> bool:
    return any(can(user, p, record) for p in (perm if isinstance(perm, tuple) else (perm,)))


def _not_own(message: Text) -> Rule:
    def test(user: Any, record: PpksRecord) -> bool:
        return record.reported_by_id is None or record.reported_by_id != getattr(user, "pk", None)

    return Rule(test, message, code="own_proposal")


PPKS = Workflow(
    model=PpksRecord,
    may=_may,
    service_prefix="ppks_",
    # Returning and rejecting (a reason, by either reviewer) unless a step says otherwise.
    defaults={"form_kwargs": user_kwargs, "perm": REVIEWERS, "form": ReasonForm},
    # The timeline's words for what happened (the step's label says what to do).
    events={
        "proposed": _("Diusulkan"),
        "validated": _("Ditetapkan"),
        "returned": _("Dikembalikan untuk perbaikan"),
        "resubmitted": _("Diajukan ulang"),
        "rejected": _("Ditolak"),
        "exited": _("Dikeluarkan"),
        "merged_closed": _("Ditutup: ganda setelah penggabungan data orang"),
    },
    steps=(
        Step(
            name="verify",
            label=_("Verifikasi lapangan"),
            button=_("Simpan verifikasi"),
            sources=(S.PROPOSED,),
            form=VerifyForm,
            perm=Perm.PPKS_VERIFY,
            path="verifikasi",
            done=_("Hasil verifikasi lapangan tersimpan."),
            refused=_("Hanya usulan berstatus diusulkan yang dapat diverifikasi."),
            rules=(_not_own(_("Anda tidak dapat memverifikasi usulan Anda sendiri.")),),
            event="verified",
            api_doc="Verifikasi lapangan (TKSK/Dinsos): ``ditemukan`` → diverifikasi; hasil lain → ditolak.",
        ),
        Step(
            name="validate",
            label=_("Penetapan"),
            button=_("Tetapkan"),
            yes=_("Ya, tetapkan"),
            confirm=_(
                "Data ini akan ditetapkan sebagai PPKS dan masuk hitungan resmi; perubahan berikutnya hanya lewat "
                "koreksi atau pengeluaran."
            ),
            sources=(S.VERIFIED,),
            form=ValidateForm,
            perm=Perm.PPKS_VALIDATE,
            path="tetapkan",
            done=_("Data PPKS ditetapkan."),
            refused=_("Hanya data yang sudah diverifikasi yang dapat ditetapkan."),
            rules=(_not_own(_("Anda tidak dapat menetapkan usulan Anda sendiri.")),),
            event="validated",
            api_doc="Penetapan oleh Dinsos. Pengusul tidak dapat menetapkan usulannya sendiri.",
        ),
        Step(
            name="resubmit",
            label=_("Ajukan ulang setelah diperbaiki"),
            button=_("Ajukan ulang"),
            sources=(S.NEEDS_FIX,),
            form=ResubmitForm,
            perm=Perm.PPKS_PROPOSE,
            path="ajukan-ulang",
            done=_("Perbaikan diajukan ulang untuk diverifikasi."),
            refused=_("Hanya data yang perlu perbaikan yang dapat diajukan ulang."),
            event="resubmitted",
            api_doc="Ajukan ulang setelah diperbaiki. Hanya isian yang dikirim yang diubah.",
        ),
        Step(
            name="exit",
            label=_("Keluarkan dari registri"),
            button=_("Keluarkan"),
            yes=_("Ya, keluarkan"),
            style="danger",
            confirm=_(
                "Data ini akan dikeluarkan dari registri PPKS pada tanggal yang diisi, dengan alasannya; riwayatnya "
                "tetap tercatat."
            ),
            sources=(S.VALIDATED,),
            form=ExitForm,
            perm=Perm.PPKS_EXIT,
            path="keluarkan",
            done=_("Data PPKS dikeluarkan dari registri."),
            refused=_("Hanya data yang sudah ditetapkan yang dapat dikeluarkan."),
            event="exited",
            api_doc="Keluarkan data yang sudah ditetapkan: graduasi, meninggal, pindah, tidak layak lagi.",
        ),
        Step(
            name="return",
            label=_("Kembalikan untuk perbaikan"),
            button=_("Kembalikan"),
            style="secondary",
            sources=(S.PROPOSED, S.VERIFIED),
            path="kembalikan",
            done=_("Data dikembalikan ke pengusul untuk diperbaiki."),
            refused=_("Data ini tidak dapat dikembalikan untuk perbaikan."),
            rules=(_not_own(_("Anda tidak dapat memeriksa usulan Anda sendiri.")),),
            event="returned",
            api_doc="Kembalikan ke pengusul untuk diperbaiki, dengan alasannya.",
        ),
        Step(
            name="reject",
            label=_("Tolak usulan"),
            button=_("Tolak"),
            yes=_("Ya, tolak usulan"),
            style="danger",
            confirm=_(
                "Usulan ini akan ditolak dengan alasan yang diisi dan pengusul diberi tahu. Penolakan tidak dapat "
                "dibatalkan."
            ),
            sources=(S.PROPOSED, S.NEEDS_FIX, S.VERIFIED),
            path="tolak",
            done=_("Usulan ditolak."),
            refused=_("Data ini tidak dapat ditolak lagi."),
            rules=(_not_own(_("Anda tidak dapat menolak usulan Anda sendiri.")),),
            event="rejected",
            api_doc="Tolak usulan, dengan alasannya.",
        ),
    ),
)


def _importer(user: Any, perm: Perm, record: Any) -> bool:
    return can(user, perm)  # imports are Dinsos' own work, city-wide


def _file_kept_and_not_retried(user: Any, job: ImportJob) -> bool:
    return bool(job.file) and not job.retries.exists()


NOT_RETRIABLE = _("Hanya impor yang gagal, berkasnya tersimpan dan belum dicoba lagi yang dapat dicoba lagi.")

IMPORT = Workflow(
    model=ImportJob,
    services="pilar.registry.importer.services",
    may=_importer,
    # The API's refusal of a retry has always been ``{"detail": …}`` alone.
    refused_errors=False,
    service_prefix="import_",
    steps=(
        Step(
            name="retry",
            label=_("Coba lagi"),
            sources=(ImportJob.Status.FAILED,),
            perm=Perm.REGISTRY_IMPORT,
            path="coba-lagi",
            done=_("Impor dijalankan ulang dari berkas yang tersimpan."),
            refused=NOT_RETRIABLE,
            rules=(Rule(_file_kept_and_not_retried, NOT_RETRIABLE, status=409),),
            event="registry.import.retried",
            after=lambda retry: reverse("registry:import_detail", args=[retry.pk]),
            api_doc="Jalankan ulang impor yang gagal dari berkas yang tersimpan (pekerjaan baru, ``retry_of`` "
            "menunjuk yang lama).\n\n409 bila impor itu tidak gagal atau berkasnya tidak tersimpan.",
        ),
    ),
)


def _conflicts_of_job(conflict: ImportConflict) -> str:
    return reverse("registry:import_conflicts", args=[conflict.job_id])


def _resolved(conflict: ImportConflict) -> str:
    return gettext("Konflik baris %(row)d diselesaikan.") % {"row": conflict.row}


CONFLICT = Workflow(
    model=ImportConflict,
    services="pilar.registry.importer.conflicts",
    may=_importer,
    refused_field=None,  # "already resolved" is about the conflict as a whole
    service_prefix="conflict_resolve_",
    defaults={
        "sources": (ImportConflict.Status.OPEN,),
        "perm": Perm.REGISTRY_IMPORT,
        "refused": _("Konflik ini sudah diselesaikan."),
        "done": _resolved,
        "event": "registry.import_conflict.resolved",
        "after": _conflicts_of_job,
    },
    steps=(
        Step(
            name="same",
            label=_("Orang yang sama"),
            form=ConflictSameForm,
            path="orang-sama",
            api_path="same-person",
            api_fields={"choices": {"type": "object", "additionalProperties": {"type": "string"}}},
            api_doc="Orang yang sama: untuk tiap kolom yang berbeda pilih ``keep`` (pertahankan data tercatat) atau "
            '``take`` (ambil dari berkas), mis. ``{"choices": {"name": "take"}}``. 400 bila ada kolom tanpa pilihan; '
            "409 bila konflik sudah diselesaikan.",
        ),
        Step(
            name="different",
            label=_("Orang yang berbeda (NIK di berkas salah)"),
            style="secondary",
            path="orang-lain",
            api_path="different-person",
            api_doc="Orang yang berbeda: NIK di berkas salah; orang di baris itu dicatat tanpa NIK, ditandai untuk "
            "dicek ke Dukcapil, beserta data PPKS-nya. 409 bila konflik sudah diselesaikan.",
        ),
    ),
)
