"""core.get_for_user: the one way a page or endpoint fetches the record it names by id."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pilar.accounts.permissions import Perm
from pilar.core.access import get_for_user
from pilar.registry.models import PpksRecord
from tests.registry.makers import propose


@pytest.fixture
def record(psm_a):
    return propose(psm_a)


def test_a_record_outside_the_users_area_is_not_found_like_a_missing_one(record, psm_b):
    with pytest.raises(Http404):
        get_for_user(PpksRecord, psm_b, record.pk)
    with pytest.raises(Http404):
        get_for_user(PpksRecord, psm_b, record.pk + 1000)


def test_a_visible_record_without_the_permission_is_forbidden(record, psm_a):
    assert get_for_user(PpksRecord, psm_a, record.pk) == record  # seeing it needs no more than its scope
    with pytest.raises(PermissionDenied):
        get_for_user(PpksRecord, psm_a, record.pk, Perm.PPKS_VERIFY)


def test_a_scoped_queryset_is_used_as_given(record, tksk_a):
    found = get_for_user(
        PpksRecord.objects.visible_to(tksk_a).select_related("category"), tksk_a, record.pk, Perm.PPKS_VERIFY
    )
    assert found == record and "category" in found._state.fields_cache
    with pytest.raises(Http404):
        get_for_user(PpksRecord.objects.none(), tksk_a, record.pk)
