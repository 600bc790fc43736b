"""Who sees which referral: an agency only what is addressed to it, a PSM/TKSK their area's, Dinsos the city's."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from pilar.accounts.permissions import Access, Perm, access_for
from pilar.regions.querysets import AreaQuerySet


class ReferralQuerySet(AreaQuerySet):
    view_perm = Perm.REFERRAL_VIEW
    restriction_paths = ("case__person",)

    def seen_by(self, user, access: Access) -> Q:
        from pilar.cases.models import CaseAssignment

        # A worker follows the referrals of the cases assigned to them, also outside their own area.
        mine = CaseAssignment.objects.filter(user=user).values("case_id")
        return Q(agency_id__in=access.agency_ids) | super().seen_by(user, access) | Q(case_id__in=mine)

    def decidable_by(self, user) -> "ReferralQuerySet":
        """Referrals the user may answer: those of their own agency (Dinsos staff: any, on an agency's behalf)."""
        access = access_for(user)
        if Perm.REFERRAL_DECIDE not in access.perms:
            return self.none()
        return self.all() if access.city_wide else self.filter(agency_id__in=access.agency_ids)

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=["terkirim", "diterima", "diproses"])

    def overdue(self, today: date | None = None) -> "ReferralQuerySet":
        """Still unanswered (terkirim) after the answer date."""
        return self.filter(status="terkirim", answer_due__lt=today or timezone.localdate())

    def listing(self) -> "ReferralQuerySet":
        return self.select_related("agency", "kelurahan", "kecamatan", "sent_by")
