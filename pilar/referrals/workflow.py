"""The referral's workflow on one screen: its states and the agency's four answers.

    terkirim ──terima──▶ diterima ──proses──▶ diproses ──selesai──▶ selesai
        └─────tolak────▶ ditolak       └──────────selesai───────────────┘

Sending (from a case) and the overdue reminder are not steps of a referral: they start one or touch no state.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.workflow import Step, Workflow
from pilar.referrals import selectors
from pilar.referrals.forms import CompleteForm, DeclineForm, NoteForm
from pilar.referrals.models import Referral, ReferralEvent, ReferralStatus

S, E = ReferralStatus, ReferralEvent.Action


def _may(user: Any, perm: Perm, referral: Referral) -> bool:
    # Answering is for the receiving agency's users, or Dinsos staff on its behalf.
    return selectors.may_decide(user, referral) if perm == Perm.REFERRAL_DECIDE else can(user, perm, referral)


REFERRAL = Workflow(
    model=Referral,
    may=_may,
    # The agency's answers; accepting and starting the work ask only a note.
    defaults={"perm": Perm.REFERRAL_DECIDE, "form": NoteForm},
    steps=(
        Step(
            name="accept",
            label=_("Terima rujukan"),
            sources=(S.SENT,),
            path="terima",
            done=_("Rujukan diterima."),
            button=_("Terima"),
            event=E.ACCEPTED,
            refused=_("Hanya rujukan berstatus terkirim yang dapat diterima."),
            api_doc="Terima rujukan (OPD tujuan). Hanya dari status ``terkirim``.",
        ),
        Step(
            name="process",
            label=_("Mulai proses"),
            sources=(S.ACCEPTED,),
            path="proses",
            done=_("Rujukan ditandai sedang diproses."),
            button=_("Tandai diproses"),
            event=E.PROCESSING,
            refused=_("Hanya rujukan yang sudah diterima yang dapat mulai diproses."),
            api_doc="Tandai rujukan yang diterima sedang diproses.",
        ),
        Step(
            name="complete",
            label=_("Selesaikan rujukan"),
            sources=(S.ACCEPTED, S.IN_PROGRESS),
            form=CompleteForm,
            path="selesai",
            done=_("Rujukan selesai; hasilnya dikirim ke petugas kasus."),
            button=_("Selesai"),
            event=E.COMPLETED,
            refused=_("Hanya rujukan yang diterima atau diproses yang dapat diselesaikan."),
            api_doc="Selesaikan rujukan: ``outcome`` (hasil) dan ``completed_on`` (tanggal, YYYY-MM-DD).",
        ),
        Step(
            name="decline",
            label=_("Tolak rujukan"),
            sources=(S.SENT,),
            form=DeclineForm,
            path="tolak",
            done=_("Rujukan ditolak; petugas kasus diberi tahu alasannya."),
            button=_("Tolak"),
            style="danger",
            confirm=_("Rujukan ditolak dan petugas kasus diberi tahu alasannya; jawaban ini tidak dapat diubah."),
            event=E.DECLINED,
            refused=_("Hanya rujukan berstatus terkirim yang dapat ditolak."),
            api_doc="Tolak rujukan dengan alasannya (``reason``). Hanya dari status ``terkirim``.",
        ),
    ),
)
