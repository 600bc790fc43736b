"""The data conflicts an import held: listed beside the stored values, resolved one by one through the steps of
``registry.workflow.CONFLICT`` (the generic step view, wired in ``urls``). Thin: the conflict services do the work
and write the audit entries."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.access import get_for_user
from pilar.core.workflow_views import step_forms
from pilar.registry import selectors
from pilar.registry.import_models import ImportConflict
from pilar.registry.importer.conflicts import shown_fields
from pilar.registry.models import ImportJob
from pilar.registry.workflow import CONFLICT


def _list_page(request: HttpRequest, job: ImportJob, status: int = 200) -> HttpResponse:
    view = visibility_for(request.user)
    conflicts = list(job.conflicts.select_related("person", "new_person", "resolved_by"))
    items = [
        (c, shown_fields(c, view), step_forms(CONFLICT, "registry", request.user, c, {}, name_prefix="conflict_"))
        for c in conflicts
    ]
    log_personal_access(
        request, channel=PersonalDataAccess.Channel.PAGE, model=ImportConflict, count=len(items), unmasked=view.unmasked
    )
    context = {"job": job, "items": items}
    return TemplateResponse(request, "registry/imports/conflicts.html", context, status=status)


@login_required
@require_GET
def conflict_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _list_page(request, get_object_or_404(selectors.import_jobs_for(request.user), pk=pk))


def get_conflict_for_user(user: Any, pk: int) -> ImportConflict:
    """A conflict of an import the user may see (404 otherwise)."""
    return get_for_user(ImportConflict.objects.filter(job__in=selectors.import_jobs_for(user)), user, pk)


def conflict_page(request: HttpRequest, conflict: ImportConflict, failed: dict[str, Form], status: int) -> HttpResponse:
    """A refused resolution: its import's conflicts again, the reason said once above them with the row."""
    for form in failed.values():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, _("Baris %(row)d: %(msg)s") % {"row": conflict.row, "msg": text})
    return _list_page(request, conflict.job, status)
