"""Accounts for the workforce, issued from the worker list by the Admin Dinsos: one per ticked worker, or one for
every active worker without one under the list's filter. The letters are downloaded from the account pages
(``accounts:workforce_letters``), which read the batch this view leaves in the session.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.accounts.pages import LETTERS_KEY
from pilar.accounts.permissions import Perm, requires, signed_in
from pilar.workers.accounts import worker_accounts_issue
from pilar.workers.models import Worker, WorkerStatus
from pilar.workers.selectors import WorkerFilter, worker_list


@login_required
@require_POST
@requires(Perm.USER_MANAGE)
def workforce_issue(request: HttpRequest) -> HttpResponse:
    filters = WorkerFilter.from_params(request.POST)
    workers = worker_list(request.user, filters).filter(status=WorkerStatus.ACTIVE)
    if request.POST.get("scope") == "selected":
        workers = workers.filter(pk__in=[v for v in request.POST.getlist("worker") if v.isdigit()])
    else:
        workers = workers.filter(user__isnull=True)
    chosen = list(workers.select_related("person", "kelurahan", "kecamatan")[:2000])
    if not chosen:
        messages.info(request, _("Tidak ada pekerja aktif yang perlu dibuatkan akun."))
        return redirect("workers:list")
    issued = worker_accounts_issue(workers=chosen, actor=signed_in(request))
    request.session[LETTERS_KEY] = [
        {
            "name": i.worker.person.name,
            "area": _area(i.worker),
            "username": i.username,
            "temporary_password": i.temporary_password,
        }
        for i in issued
    ]
    return TemplateResponse(request, "accounts/workforce_issued.html", {"issued": issued})


def _area(worker: Worker) -> str:
    if worker.kelurahan:
        return f"Kelurahan {worker.kelurahan.name}, Kec. {worker.kecamatan.name}"
    return f"Kecamatan {worker.kecamatan.name}"
