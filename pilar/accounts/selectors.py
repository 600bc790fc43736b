"""The account list of the Admin Dinsos: search and filters by role, area and state."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from pilar.accounts.models import ApiToken, RoleAssignment, User


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    role: str = ""
    area: str = ""  # a kecamatan or kelurahan code: the users assigned inside it
    state: str = ""  # aktif, nonaktif, sandi (must change the password)

    @classmethod
    def from_params(cls, params: Any) -> "UserFilter":
        return cls(**{f: (params.get(f) or "").strip()[:40] for f in cls.__dataclass_fields__})


def user_list(filters: UserFilter) -> QuerySet[User]:
    qs = User.objects.order_by("username")
    if filters.q:
        qs = qs.filter(Q(username__icontains=filters.q) | Q(full_name__icontains=filters.q))
    current = RoleAssignment.objects.current()
    if filters.role:
        qs = qs.filter(pk__in=current.filter(role=filters.role).values("user"))
    if filters.area:
        inside = Q(region__code=filters.area) | Q(region__code__startswith=filters.area + ".")
        qs = qs.filter(pk__in=current.filter(inside).values("user"))
    if filters.state == "aktif":
        qs = qs.filter(is_active=True)
    elif filters.state == "nonaktif":
        qs = qs.filter(is_active=False)
    elif filters.state == "sandi":
        qs = qs.filter(must_change_password=True)
    grants = RoleAssignment.objects.current().select_related("region", "agency")
    return qs.prefetch_related(Prefetch("role_assignments", queryset=grants, to_attr="current_roles"))


def valid_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.valid().filter(user=user)
