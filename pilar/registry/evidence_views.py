"""Adding and downloading a PPKS record's evidence (the record page shows the list and the form)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import form_arguments, perform
from pilar.core.idempotency import idempotent
from pilar.core.uploads import UPLOAD, serve_upload
from pilar.registry import selectors
from pilar.registry.evidence import evidence_add, evidence_visible, may_add_evidence
from pilar.registry.forms import EvidenceForm
from pilar.registry.views import detail_page


@login_required
@require_POST
@idempotent
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_ppks_for_user(request.user, pk)  # 404 outside the user's area
    if not may_add_evidence(signed_in(request), record):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if perform(
        request,
        form,
        lambda: evidence_add(record=record, actor=signed_in(request), **form_arguments(form.cleaned_data, UPLOAD)),
        _("Bukti tersimpan."),
    ):
        return redirect(record)
    return detail_page(request, record, evidence_form=form)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    record = selectors.get_ppks_for_user(request.user, pk)
    if not evidence_visible(signed_in(request), record):
        raise PermissionDenied
    evidence = get_object_or_404(record.evidence, pk=evidence_pk)
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=record)
    return serve_upload(
        evidence.file.open("rb"), evidence.content_type, f"bukti-{record.pk}-{evidence.pk}{_suffix(evidence)}"
    )


def _suffix(evidence) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}.get(
        evidence.content_type, ""
    )
