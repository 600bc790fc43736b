"""Registry queries start from the user's area (kelurahan for PSM, kecamatan for TKSK, city for Dinsos)."""

from django.db.models import Q

from pilar.accounts.permissions import Perm
from pilar.regions.querysets import AreaQuerySet


class ScopedByAreaQuerySet(AreaQuerySet):
    view_perm = Perm.PPKS_VIEW


class PpksQuerySet(ScopedByAreaQuerySet):
    # A family's record names its head (the BNBA export lists them): a restricted head hides it like their own.
    restriction_paths = ("person", "household__head")

    def of_restricted_persons(self):
        """The records that ``restriction_paths`` hides (the person's own, and the families they head), found
        through the record's person and household indexes: the few restricted persons and their households are
        looked up first, instead of the OR across two joins that scans the whole registry. Tallies subtract
        these for whoever does not see restricted persons; empty at once when nobody is restricted."""
        from pilar.identity.models import Person

        # order_by(): without it the model's name ordering makes SQLite walk the whole name index (1.4 s at 1M
        # persons) instead of the partial index of the few restricted ones.
        persons = list(Person.objects.filter(restricted_at__isnull=False).order_by().values_list("pk", flat=True))
        if not persons:
            return self.none()
        condition = Q(pk__in=[])
        for path in self.restriction_paths:
            key, _sep, rest = path.partition("__")
            if not rest:
                condition |= Q(**{f"{key}__in": persons})
                continue
            related = self.model._meta.get_field(key).related_model
            ids = list(related.objects.filter(**{f"{rest}__in": persons}).order_by().values_list("pk", flat=True))
            condition |= Q(**{f"{key}__in": ids})
        return self.filter(condition)

    def open(self) -> "PpksQuerySet":
        return self.exclude(status__in=["ditolak", "keluar"])

    def listing(self):
        return self.select_related("category", "person", "household", "kelurahan", "kecamatan")
