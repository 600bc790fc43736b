"""Who may do what with one case, for pages, API and services alike.

Being assigned to a case lets a worker act on it even outside their area (a case handed over by a
colleague); supervisors (TKSK of the kecamatan, Dinsos) act through their area.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from pilar import audit
from pilar.accounts.models import Role, RoleAssignment, User
from pilar.accounts.permissions import Perm, access_for, can
from pilar.accounts.visibility import Visibility, visibility_for
from pilar.cases.models import Case
from pilar.core.access import get_for_user
from pilar.regions.models import Region


def is_assigned(user: Any, case: Case) -> bool:
    if not getattr(user, "pk", None):
        return False
    cached: set[int] | None = getattr(case, "_assigned_ids", None)
    if cached is None:
        cached = case._assigned_ids = set(case.assignments.values_list("user_id", flat=True))
    return user.pk in cached


def case_view(user: Any, case: Case) -> Visibility:
    """What ``user`` may see of the person in ``case``: their role's row, and the case workers' row if assigned."""
    return visibility_for(user, case, assigned=is_assigned(user, case))


def may(user: Any, perm: Perm, case: Case) -> bool:
    """``perm`` on this case: held and covering the case's area, or held by one of its assigned workers."""
    if can(user, perm, case):
        return True
    return Perm(perm) in access_for(user).perms and perm == Perm.CASE_MANAGE and is_assigned(user, case)


def sees_confidential(user: Any, case: Case) -> bool:
    """Confidential notes: the case's assigned workers and their supervisors only (not the head of office)."""
    return is_assigned(user, case) or can(user, Perm.CASE_CONFIDENTIAL, case)


def require(user: Any, perm: Perm, case: Case) -> None:
    if not may(user, perm, case):
        raise PermissionDenied


def get_case_for_user(user: Any, pk: int, perm: Perm = Perm.CASE_VIEW) -> Case:
    """The case if the user may see it (404 otherwise, as for a missing id); 403 without ``perm``."""
    # Seeing a case is its visibility (an agency's user sees the cases referred to it without CASE_VIEW).
    return get_for_user(Case.objects.visible_to(user).listing(), user, pk, None if perm == Perm.CASE_VIEW else perm)


def may_receive(user: Any, case: Case) -> bool:
    """Whether ``user`` may be given the case: a worker of its kecamatan (a PSM of any of its kelurahan, its
    TKSK) or Dinsos. Receiving it is what lets a PSM of a neighbouring kelurahan see it."""
    acc = access_for(user)
    if Perm.CASE_MANAGE not in acc.perms:
        return False
    if acc.city_wide or case.kecamatan_id in acc.kecamatan_ids:
        return True
    return Region.objects.filter(pk__in=acc.village_ids, parent_id=case.kecamatan_id).exists()


def supervisors_of(case: Case) -> list[User]:
    """The TKSK of the case's kecamatan; the Dinsos operators when the kecamatan has none."""
    current = RoleAssignment.objects.current()
    for roles in (current.filter(role=Role.TKSK, region_id=case.kecamatan_id), current.filter(role=Role.OPERATOR)):
        found = list(User.objects.filter(is_active=True, pk__in=roles.values("user_id")))
        if found:
            return found
    return []


def area_workers(case: Case) -> list[User]:
    """The PSM of the case's kelurahan and the TKSK of its kecamatan: who hears of a case nobody holds yet."""
    roles = RoleAssignment.objects.current().filter(
        Q(role=Role.PSM, region_id=case.kelurahan_id) | Q(role=Role.TKSK, region_id=case.kecamatan_id)
    )
    return list(User.objects.filter(is_active=True, pk__in=roles.values("user_id")))


def eligible_assignees(case: Case) -> QuerySet[User]:
    """Workers who may take the case: PSM of the kecamatan's kelurahan and the kecamatan's TKSK."""
    roles = RoleAssignment.objects.current().filter(
        Q(role=Role.PSM, region__parent_id=case.kecamatan_id) | Q(role=Role.TKSK, region_id=case.kecamatan_id)
    )
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id")).order_by("username")


def log_confidential_view(request: Any, case: Case) -> None:
    """Confidential notes are the most sensitive part of a case: each view of them gets its own audit entry,
    on top of the personal-data access log every view of a case writes."""
    with transaction.atomic():
        audit.record(request.user, "cases.confidential.viewed", case, data={"path": request.path})
