"""Permissions are named once; roles map to sets of them; ``can()`` answers for pages, API and templates.

A user's access is the union of the role assignments valid today: the permissions of
every role held and the areas they cover. Roles in ``CITY_WIDE_ROLES`` cover the whole
configured kota/kabupaten.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pilar.accounts.models import CITY_WIDE_ROLES, Role, RoleAssignment, User


class Perm(StrEnum):
    REGION_VIEW = "regions.view"
    # trainings
    TRAINING_VIEW = "trainings.view"  # events; participants of the user's area (PSM: their own)
    TRAINING_MANAGE = "trainings.manage"  # events, invitations, attendance lists (Dinsos)
    TRAINING_CHECKIN = "trainings.checkin"  # a worker confirms and checks in to their own invitation
    # complaints
    COMPLAINT_VIEW = "complaints.view"  # the area's complaint queue
    COMPLAINT_VIEW_PERSONAL = "complaints.view_personal"  # names, address, photo, reporter contact
    COMPLAINT_TRIAGE = "complaints.triage"  # turn into a case or close with a reason
    WORKER_VIEW = "workers.view"
    WORKER_VIEW_PERSONAL = "workers.view_personal"  # full NIK, birth date, bank account
    WORKER_MANAGE = "workers.manage"
    WORKER_EXPORT = "workers.export"
    BOARD_VIEW = "workers.board_view"
    BOARD_MANAGE = "workers.board_manage"
    AUDIT_VIEW = "audit.view"
    USER_MANAGE = "accounts.manage"
    PPKS_VIEW = "registry.view"
    PPKS_VIEW_PERSONAL = "registry.view_personal"  # full NIK/KK, birth date, health details
    PPKS_PROPOSE = "registry.propose"
    PPKS_VERIFY = "registry.verify"  # field check (TKSK, Dinsos)
    PPKS_VALIDATE = "registry.validate"  # decision (Dinsos)
    PPKS_EXIT = "registry.exit"
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"
    DEDUP_REVIEW = "registry.dedup_review"
    REGISTRY_EDIT = "registry.edit"  # correct a person's data, a household's KK number, move a member
    REGISTRY_REQUESTS = "registry.requests"  # registrations routed from outside the area (Dinsos decides)
    # incentives
    PAYROLL_VIEW = "incentives.view"  # payroll runs, lines, exclusions, budget (city-wide roles)
    PAYROLL_GENERATE = "incentives.generate"  # generate or discard a draft run, record corrections (maker)
    PAYROLL_APPROVE = "incentives.approve"  # approve a run someone else generated (checker)
    PAYROLL_RATES = "incentives.rates"  # add a rate to the schedule
    PAYSLIP_VIEW_OWN = "incentives.view_own"  # a PSM's own payslips ("Insentif saya")
    # programs
    PROGRAM_VIEW = "programs.view"  # program pages: who qualifies and how to apply
    ENROLLMENT_VIEW = "programs.enrollment_view"  # the area's enrollments; OPD: those of its agency's programs
    ENROLLMENT_PROPOSE = "programs.enrollment_propose"
    ENROLLMENT_DECIDE = "programs.enrollment_decide"  # approve, reject, exit (Dinsos)
    ENROLLMENT_DELIVER = "programs.enrollment_deliver"  # delivery, renovation done, completion (Dinsos)
    HOUSE_ASSESS = "programs.house_assess"  # Bedah Rumah house assessment in the field
    # referrals
    REFERRAL_VIEW = "referrals.view"  # PSM/TKSK: their area's; OPD: only those addressed to their agency
    REFERRAL_SEND = "referrals.send"  # refer a case the user may see to an agency
    REFERRAL_DECIDE = "referrals.decide"  # accept/decline/process/complete, for the receiving agency
    # activities
    ACTIVITY_VIEW = "activities.view"
    ACTIVITY_REPORT = "activities.report"  # the PSM writes and submits their own monthly report
    ACTIVITY_CHECK = "activities.check"  # accept or return a report (TKSK of the kecamatan, Dinsos)
    ROADSHOW_MANAGE = "activities.roadshow_manage"
    # cases
    CASE_VIEW = "cases.view"
    CASE_MANAGE = "cases.manage"  # open, assess, plan, notes, visits, advance, close, transfer
    CASE_APPROVE_PLAN = "cases.approve_plan"  # supervisor: TKSK of the kecamatan, Dinsos; never the plan's author
    CASE_ASSIGN = "cases.assign"  # supervisor: assign workers to a case
    CASE_REOPEN = "cases.reopen"  # supervisor: reopen a closed case with a reason
    CASE_CONFIDENTIAL = "cases.confidential"  # supervisor: read the confidential notes of the area's cases
    # operations and UU PDP data-subject rights (Dinsos)
    OPS_VIEW = "ops.view"  # the operations page: jobs, backups, mail, health (Admin Dinsos)
    OFFICE_MANAGE = "regions.office_manage"  # office settings: letterhead, logo, head of office, signatories
    RIGHTS_MANAGE = "rights.manage"  # requests register, a person's data export, restriction, erasure
    # official reports: city-wide documents (every kecamatan's figures), so city-wide roles only
    REPORT_VIEW = "reports.view"  # the report archive and its PDF/XLSX files
    REPORT_GENERATE = "reports.generate"  # make a new snapshot (reads the figures, changes no record)


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    # Dinsos staff run the registry city-wide; only user accounts are the admin's.
    Role.OPERATOR: frozenset(Perm) - {Perm.USER_MANAGE, Perm.OPS_VIEW, Perm.OFFICE_MANAGE},
    # The head of office reads everything city-wide but changes nothing; NIKs stay masked.
    # Finance checks and approves payroll runs (never its own: none can generate) and takes the bank file.
    Role.KEUANGAN: frozenset(
        {Perm.REGION_VIEW, Perm.WORKER_VIEW, Perm.PAYROLL_VIEW, Perm.PAYROLL_APPROVE, Perm.REPORT_VIEW}
    ),
    Role.PIMPINAN: frozenset(
        {
            Perm.REGION_VIEW,
            Perm.WORKER_VIEW,
            Perm.WORKER_EXPORT,
            Perm.BOARD_VIEW,
            Perm.AUDIT_VIEW,
            Perm.PPKS_VIEW,
            Perm.REGISTRY_EXPORT,
            Perm.PAYROLL_VIEW,  # incentives (read-only; bank files stay with Dinsos staff)
            Perm.PROGRAM_VIEW,  # programs
            Perm.ENROLLMENT_VIEW,  # programs
            Perm.TRAINING_VIEW,  # trainings
            Perm.COMPLAINT_VIEW,  # complaints (names masked)
            Perm.REFERRAL_VIEW,  # referrals
            Perm.ACTIVITY_VIEW,  # activities
            Perm.CASE_VIEW,  # cases (read-only, no confidential notes)
            Perm.REPORT_VIEW,  # official reports
            Perm.REPORT_GENERATE,  # the head of office sends them upward: a snapshot changes no record
        }
    ),
    # The TKSK checks proposals in the field against the KTP/KK, so sees them whole.
    Role.TKSK: frozenset(
        {
            Perm.REGION_VIEW,
            Perm.WORKER_VIEW,
            Perm.BOARD_VIEW,
            Perm.PPKS_VIEW,
            Perm.PPKS_VIEW_PERSONAL,
            Perm.PPKS_PROPOSE,
            Perm.PPKS_VERIFY,
            Perm.PPKS_EXIT,
            Perm.REGISTRY_EDIT,  # the TKSK checks KTP and KK in the field
            Perm.PROGRAM_VIEW,  # programs
            Perm.ENROLLMENT_VIEW,  # programs
            Perm.ENROLLMENT_PROPOSE,  # programs
            Perm.HOUSE_ASSESS,  # programs
            Perm.TRAINING_VIEW,  # trainings
            Perm.TRAINING_CHECKIN,  # trainings
            Perm.COMPLAINT_VIEW,  # complaints
            Perm.COMPLAINT_VIEW_PERSONAL,  # complaints
            Perm.COMPLAINT_TRIAGE,  # complaints
            Perm.REFERRAL_VIEW,  # referrals
            Perm.REFERRAL_SEND,  # referrals
            Perm.ACTIVITY_VIEW,  # activities
            Perm.ACTIVITY_CHECK,  # activities
            Perm.CASE_VIEW,  # cases
            Perm.CASE_MANAGE,  # cases
            Perm.CASE_APPROVE_PLAN,  # cases
            Perm.CASE_ASSIGN,  # cases
            Perm.CASE_REOPEN,  # cases
            Perm.CASE_CONFIDENTIAL,  # cases
        }
    ),
    Role.PSM: frozenset(
        {
            Perm.REGION_VIEW,
            Perm.PAYSLIP_VIEW_OWN,  # incentives
            Perm.WORKER_VIEW,
            Perm.BOARD_VIEW,
            Perm.PPKS_VIEW,
            Perm.PPKS_PROPOSE,
            Perm.PROGRAM_VIEW,  # programs
            Perm.ENROLLMENT_VIEW,  # programs
            Perm.ENROLLMENT_PROPOSE,  # programs
            Perm.COMPLAINT_VIEW,  # complaints
            Perm.COMPLAINT_VIEW_PERSONAL,  # complaints
            Perm.COMPLAINT_TRIAGE,  # complaints
            Perm.TRAINING_VIEW,  # trainings
            Perm.TRAINING_CHECKIN,  # trainings
            Perm.ACTIVITY_VIEW,  # activities
            Perm.ACTIVITY_REPORT,  # activities
            Perm.CASE_VIEW,  # cases
            Perm.CASE_MANAGE,  # cases
            Perm.REFERRAL_VIEW,  # referrals
            Perm.REFERRAL_SEND,  # referrals
        }
    ),
    # Agencies get only what is addressed to them (cases and referrals, later).
    Role.OPD: frozenset(
        {
            Perm.REGION_VIEW,
            Perm.REFERRAL_VIEW,  # referrals
            Perm.REFERRAL_DECIDE,  # referrals
            Perm.PROGRAM_VIEW,  # programs
            Perm.ENROLLMENT_VIEW,  # programs
        }
    ),
}


@dataclass(frozen=True)
class Access:
    """What one user may do, and where."""

    roles: frozenset[str] = frozenset()
    perms: frozenset[Perm] = frozenset()
    city_wide: bool = False
    kecamatan_ids: frozenset[int] = frozenset()
    village_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = field(default_factory=frozenset)

    def covers(self, *, kecamatan_id: int | None, village_id: int | None) -> bool:
        """Whether a record located in this kecamatan/kelurahan lies inside the user's area."""
        if self.city_wide:
            return True
        return (kecamatan_id is not None and kecamatan_id in self.kecamatan_ids) or (
            village_id is not None and village_id in self.village_ids
        )


NO_ACCESS = Access()


def access_for(user: Any) -> Access:
    """The user's access today, computed once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_pilar_access", None)
    if isinstance(cached, Access):
        return cached
    assignments = list(RoleAssignment.objects.current().filter(user=user).select_related("region"))
    roles = {a.role for a in assignments}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    perms: set[Perm] = set()
    for role in roles:
        perms |= ROLE_PERMS[role]
    access = Access(
        roles=frozenset(roles),
        perms=frozenset(perms),
        city_wide=bool(roles & CITY_WIDE_ROLES),
        # The area roles always carry their region and OPD its agency (database constraints); the
        # ``is not None`` only tells the type checker so.
        kecamatan_ids=frozenset(a.region_id for a in assignments if a.role == Role.TKSK and a.region_id is not None),
        village_ids=frozenset(a.region_id for a in assignments if a.role == Role.PSM and a.region_id is not None),
        agency_ids=frozenset(a.agency_id for a in assignments if a.role == Role.OPD and a.agency_id is not None),
    )
    user._pilar_access = access
    return access


def can(user: Any, perm: Perm | str, obj: Any = None) -> bool:
    """May ``user`` do ``perm`` (on ``obj``, when given: the object must lie in the user's area)?"""
    access = access_for(user)
    if Perm(perm) not in access.perms:
        return False
    if obj is None:
        return True
    kecamatan_id, village_id = obj.scope_area()
    return access.covers(kecamatan_id=kecamatan_id, village_id=village_id)


def require(user: Any, perm: Perm | str, obj: Any = None, *, city_wide: bool = False) -> None:
    """The one refusal of a page or endpoint for want of a permission: ``PermissionDenied`` (403).
    ``city_wide``: the permission counts only with a city-wide role (the data-subject rights register)."""
    if not can(user, perm, obj) or (city_wide and not access_for(user).city_wide):
        raise PermissionDenied


def signed_in(request: HttpRequest) -> User:
    """``request.user`` as the account it is, for a view behind ``@login_required`` (or a signed-in API
    endpoint), where it cannot be the anonymous user: only tells the type checker so, checks nothing."""
    return cast(User, request.user)


def requires(perm: Perm, *, city_wide: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@requires(Perm.X)`` on a view (``request`` first, or a ninja endpoint): 403 unless the user holds ``perm``
    somewhere. Put it below ``@login_required``, so that an anonymous visitor is sent to sign in first."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(request.user, perm, city_wide=city_wide)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
