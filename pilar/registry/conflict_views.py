"""The data conflicts an import held: listed beside the stored values, resolved one by one. Thin: the
conflict services do the work and write the audit entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.registry import selectors
from pilar.registry.import_models import ImportConflict
from pilar.registry.importer.conflicts import conflict_resolve_different, conflict_resolve_same, shown_fields


@login_required
@require_GET
def conflict_list(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    view = visibility_for(request.user)
    conflicts = list(job.conflicts.select_related("person", "new_person", "resolved_by"))
    items = [(c, shown_fields(c, view)) for c in conflicts]
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, model=ImportConflict, count=len(items),
                        unmasked=view.unmasked)  # fmt: skip
    return TemplateResponse(request, "registry/imports/conflicts.html", {"job": job, "items": items})


@login_required
@require_POST
def conflict_resolve(request: HttpRequest, pk: int, conflict_pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    conflict = get_object_or_404(job.conflicts, pk=conflict_pk)
    try:
        if request.POST.get("resolution") == "different":
            conflict_resolve_different(conflict=conflict, actor=request.user)
        else:
            choices = {item["field"]: request.POST.get(f"choice_{item['field']}", "") for item in conflict.fields}
            conflict_resolve_same(conflict=conflict, actor=request.user, choices=choices)
    except (ValidationError, DomainError) as exc:
        text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        messages.error(request, _("Baris %(row)d: %(msg)s") % {"row": conflict.row, "msg": text})
        return redirect("registry:import_conflicts", pk=job.pk)
    messages.success(request, _("Konflik baris %(row)d diselesaikan.") % {"row": conflict.row})
    return redirect("registry:import_conflicts", pk=job.pk)
