"""``GET /api/v1/persons/<id>/export``: everything Pilar holds on one person (UU PDP access request), Dinsos only."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router

from pilar import audit
from pilar.accounts.permissions import Perm, access_for
from pilar.audit.models import PersonalDataAccess
from pilar.registry.selectors import persons_visible_to
from pilar.rights.export import person_export
from pilar.rights.services import record_export

persons_export = Router(tags=["hak subjek data"])


@persons_export.get("/{person_id}/export", response=dict[str, Any])
def export_person(request, person_id: int):
    """Salinan seluruh data satu orang (JSON), untuk permintaan akses subjek data; hanya Dinsos, tercatat."""
    access = access_for(request.user)
    if Perm.RIGHTS_MANAGE not in access.perms or not access.city_wide:
        raise PermissionDenied
    person = get_object_or_404(persons_visible_to(request.user).select_related("village"), pk=person_id)
    audit.log_personal_access(request, channel=PersonalDataAccess.Channel.API, obj=person, unmasked=True)
    record_export(person=person, actor=request.user, fmt="json")
    return person_export(person)
