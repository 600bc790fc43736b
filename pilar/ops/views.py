"""``/healthz`` (the process answers) and ``/readyz`` (what it depends on): no login, no personal data."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pilar.accounts.permissions import Perm, require
from pilar.notifications.models import OutgoingMail
from pilar.ops.health import readiness
from pilar.ops.jobs import JOBS
from pilar.ops.models import Backup, JobRun
from pilar.rights.models import RetentionRule


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    status, body = readiness()
    for check in body["checks"].values():
        check.pop("advice", None)  # advice is for `pilar doctor`, not for whoever can reach the URL
    return JsonResponse(body, status=status)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The admin's operations page: each periodic job's last run, backups, mail that did not leave, health."""
    require(request.user, Perm.OPS_VIEW)
    runs = {run.job: run for run in JobRun.objects.all()}
    jobs = [{"job": job, "run": runs.get(job.name)} for job in JOBS]
    _status, ready = readiness()
    context = {
        "jobs": jobs,
        "checks": ready["checks"].values(),
        "backups": Backup.objects.all()[:10],
        "mail_problems": OutgoingMail.objects.exclude(state=OutgoingMail.State.SENT).exclude(attempts=0)[:50],
        "retention": RetentionRule.objects.prefetch_related("runs"),
    }
    return TemplateResponse(request, "ops/overview.html", context)
