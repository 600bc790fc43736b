"""The training participant's workflow on one screen: the invited worker answers, and may change the answer until
the training is over.

    diundang ──jawab──▶ hadir | tidak_bisa ──jawab──▶ hadir | tidak_bisa   (until the event's last day)

Inviting creates participants; attendance and certificates are kept by ``attendance`` (no state of this record).
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.workflow import Rule, Step, Workflow
from pilar.trainings.forms import RespondForm
from pilar.trainings.models import Participant, Response


def _invitee(user: Any, perm: Perm, participant: Participant) -> bool:
    # Only the invited worker answers, for themself (a TKSK sees the kecamatan's participants, answers for nobody).
    return participant.worker.user_id == getattr(user, "pk", None) and can(user, perm)


PARTICIPANT = Workflow(
    model=Participant,
    may=_invitee,
    state_field="response",
    steps=(
        Step(
            name="respond",
            label=_("Jawab undangan"),
            sources=tuple(Response.values),
            form=RespondForm,
            perm=Perm.TRAINING_CHECKIN,
            path="jawab",
            done=_("Jawaban Anda tersimpan."),
            refused=_("Jawaban tidak dikenal."),
            rules=(
                Rule(
                    lambda user, p: p.event.end_date >= timezone.localdate(),
                    _("Pelatihan ini sudah selesai."),
                    status=409,
                ),
            ),
            after="trainings:mine",
            event="responded",
            api_doc="Jawab undangan pelatihan (peserta sendiri): ``response`` ``hadir`` atau ``tidak_bisa``.",
        ),
    ),
)
