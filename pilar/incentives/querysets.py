"""Payroll queries that start from the user: every list and detail goes through ``visible_to``."""

from django.db import models

from pilar.accounts.permissions import Perm, access_for


class PayrollRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PayrollRunQuerySet":
        # Runs are the city's books: only city-wide roles holding PAYROLL_VIEW see them.
        access = access_for(user)
        if Perm.PAYROLL_VIEW in access.perms and access.city_wide:
            return self.all()
        return self.none()

    def approved(self) -> "PayrollRunQuerySet":
        return self.filter(status="disetujui")


class PayrollLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PayrollLineQuerySet":
        """City-wide payroll viewers see every line; a PSM sees only their own lines of approved runs."""
        access = access_for(user)
        if Perm.PAYROLL_VIEW in access.perms and access.city_wide:
            return self.all()
        if Perm.PAYSLIP_VIEW_OWN in access.perms:
            return self.filter(worker__user=user, run__status="disetujui")
        return self.none()
