from datetime import date, timedelta

from django.utils import timezone

from pilar.accounts.models import Role, RoleAssignment
from pilar.accounts.permissions import Perm, access_for, can
from tests.conftest import KEL_A, KEL_B
from tests.factories import UserFactory, WorkerFactory, region


def test_pimpinan_reads_city_wide_but_manages_nothing(pimpinan):
    access = access_for(pimpinan)
    assert access.city_wide
    assert Perm.WORKER_VIEW in access.perms
    assert Perm.WORKER_MANAGE not in access.perms and Perm.WORKER_VIEW_PERSONAL not in access.perms


def test_psm_may_view_a_worker_of_its_kelurahan_only(psm_a, city):
    assert can(psm_a, Perm.WORKER_VIEW, WorkerFactory(region=region(KEL_A)))
    assert not can(psm_a, Perm.WORKER_VIEW, WorkerFactory(region=region(KEL_B)))


def test_a_role_counts_only_within_its_validity_dates(city):
    user = UserFactory(username="psm.lama")
    today = timezone.localdate()
    RoleAssignment.objects.create(user=user, role=Role.PSM, region=region(KEL_A), valid_from=today + timedelta(days=1))
    assert access_for(user).perms == frozenset()
    user2 = UserFactory(username="psm.selesai")
    RoleAssignment.objects.create(
        user=user2,
        role=Role.PSM,
        region=region(KEL_A),
        valid_from=date(2019, 1, 1),
        valid_until=today - timedelta(days=1),
    )
    assert not can(user2, Perm.WORKER_VIEW)


def test_anonymous_and_inactive_users_have_no_access(city, operator):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), Perm.WORKER_VIEW)
    operator.is_active = False
    operator.save()
    operator._pilar_access = None
    assert not can(operator, Perm.WORKER_VIEW)


def test_opd_user_has_no_workforce_access(opd_user):
    assert not can(opd_user, Perm.WORKER_VIEW)
    assert access_for(opd_user).agency_ids
