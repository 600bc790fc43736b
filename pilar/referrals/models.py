"""Referrals of a social case to another agency (OPD), and their history.

terkirim → diterima or ditolak (with a reason) → diproses → selesai (outcome, date). A referral
still terkirim after its answer date is overdue; the answer date is fixed when it is sent
(``PILAR_REFERRAL_ANSWER_DAYS`` days later), so changing the setting never moves old deadlines.

The referral keeps the kelurahan and kecamatan of its case: the agency's counts per area and
the area scoping of PSM/TKSK need no join through the case.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import StepEvent
from pilar.referrals.querysets import ReferralQuerySet
from pilar.regions.models import InArea


class ReferralStatus(models.TextChoices):
    SENT = "terkirim", _("Terkirim")
    ACCEPTED = "diterima", _("Diterima")
    DECLINED = "ditolak", _("Ditolak")
    IN_PROGRESS = "diproses", _("Diproses")
    COMPLETED = "selesai", _("Selesai")


# Statuses in which the agency still owes the case an answer or a result.
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


class Referral(InArea):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("kasus"))
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("OPD tujuan")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    reason = models.TextField(_("alasan rujukan"))
    # Whom the agency calls about the case: the sender by default, shown to the agency.
    contact_name = models.CharField(_("nama narahubung"), max_length=150)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=30, blank=True)
    sent_by = user_key()
    sent_at = models.DateTimeField(_("dikirim"))
    answer_due = models.DateField(_("batas jawaban"))
    decided_by = user_key(null=True, blank=True)
    decided_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)
    processed_at = models.DateTimeField(_("mulai diproses"), null=True, blank=True)
    completed_by = user_key(null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    outcome = models.TextField(_("hasil"), blank=True)
    # The last day a reminder went out: at most one reminder per referral per day.
    reminded_on = models.DateField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        indexes = [
            models.Index(fields=["agency", "status"], name="referral_agency_status"),
            models.Index(fields=["status", "answer_due"], name="referral_status_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            # One open referral of a case to the same agency: a second one would split the agency's answer.
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="referral_one_open_per_case_agency",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.COMPLETED) | (Q(completed_on__isnull=False) & ~Q(outcome="")),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.SENT) | Q(decided_at__isnull=False),
                name="referral_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Rujukan #{self.pk} ke {self.agency_id and self.agency.code}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.status == ReferralStatus.SENT and self.answer_due < today


class ReferralEvent(StepEvent):
    """One step of a referral: who, when, why. The case timeline shows them."""

    class Action(models.TextChoices):
        SENT = "sent", _("Dikirim")
        ACCEPTED = "accepted", _("Diterima")
        DECLINED = "declined", _("Ditolak")
        PROCESSING = "processing", _("Mulai diproses")
        COMPLETED = "completed", _("Selesai")
        REMINDED = "reminded", _("Pengingat: belum dijawab")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    # A referral's history was made with its own columns: a coded action, an actor left out of reverse lookups,
    # and a note in place of the reason.
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = user_key(null=True)
    at = models.DateTimeField()
    reason = None  # type: ignore[assignment]  # Django drops an inherited field set to None
    note = models.TextField(blank=True)

    class Meta(StepEvent.Meta):
        verbose_name = _("riwayat rujukan")
        verbose_name_plural = _("riwayat rujukan")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
