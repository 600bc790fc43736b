"""The registry list's size from the summary tables: what ``/registri/`` and ``/api/v1/ppks/`` show above the
count cap instead of counting a million records on every page.

The tally is kept current by the verval events and rebuilt by the task worker every few minutes
(``pilar.stats.tally``), so it may lag the records by the changes of the last minutes: the lists show this
figure as "± N". The scope is the registry's own area rule on the same two keys, and the records of restricted
persons (UU PDP) are subtracted for whoever does not see them, exactly as on the dashboard.
"""

from typing import Any

from django.db.models import Q, Sum

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import sees_restricted
from pilar.regions.models import Region
from pilar.regions.querysets import code_id
from pilar.registry.models import Category, PpksRecord
from pilar.registry.selectors import PpksFilter
from pilar.stats.models import PpksTally, TallyState


def ppks_estimate(user: Any, filters: PpksFilter) -> int | None:
    """Records of ``ppks_list(user, filters)`` by the tally; None when the tables have never been built or a
    filter is not one of theirs (a search, an import, an unknown code: those lists count themselves)."""
    if filters.q or filters.import_job:
        return None
    access = access_for(user)
    if Perm.PPKS_VIEW not in access.perms or not TallyState.objects.filter(pk=1, rebuilt_at__isnull=False).exists():
        return None
    where = Q()
    if not access.city_wide:
        where &= Q(kecamatan_id__in=access.kecamatan_ids) | Q(kelurahan_id__in=access.village_ids)
    for key, model, code in (
        ("kecamatan_id", Region, filters.kecamatan),
        ("kelurahan_id", Region, filters.kelurahan),
        ("category_id", Category, filters.category),
    ):
        if code:
            found = code_id(model, code)
            if found is None:
                return None
            where &= Q(**{key: found})
    if filters.status:
        where &= Q(status=filters.status)
    tallied = PpksTally.objects.filter(where).aggregate(n=Sum("count"))["n"] or 0
    if sees_restricted(user):
        return tallied
    hidden = PpksRecord.objects.of_restricted_persons().filter(where).count()
    return max(tallied - hidden, 0)
