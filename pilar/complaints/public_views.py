"""The public pages, without login: report someone in need, get a tracking code, look up its status.

Nothing here shows anything about a complaint but its status and dates: anyone holding a code may
be a stranger who found the note.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from pilar.complaints import guard, selectors, services
from pilar.complaints.forms import PublicComplaintForm, StatusLookupForm
from pilar.complaints.models import Complaint
from pilar.core.errors import DomainError
from pilar.core.forms import add_domain_error, apply_service_errors
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages

SESSION_KEY = "complaints.submitted_code"


def _villages(kecamatan_code: str):
    if kecamatan_code.startswith(settings.PILAR_REGION + "."):
        return Region.objects.villages().filter(parent__code=kecamatan_code).order_by("code")
    # Without a kecamatan (or without JavaScript) every kelurahan is offered, grouped by kecamatan.
    return city_villages().select_related("parent")


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = PublicComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = services.complaint_submit(
                    data=form.complaint_data(),
                    client=guard.client_key(request),
                    channel=Complaint.Channel.WEB,
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 429 if exc.code == "rate_limited" else 400
            else:
                request.session[SESSION_KEY] = complaint.tracking_code
                return redirect("complaints:submitted")
        else:
            status = 400
        token = form.token_for_retry()
    else:
        form, token = PublicComplaintForm(), guard.form_token()
    kecamatan = form["kecamatan"].value() or ""
    context = {
        "form": form,
        "token": token,
        "kecamatan_options": city_kecamatan(),
        "villages": _villages(kecamatan),
        "grouped": not kecamatan,
        "selected_kelurahan": form["kelurahan"].value() or "",
    }
    return TemplateResponse(request, "complaints/submit.html", context, status=status)


@require_GET
def kelurahan_options(request: HttpRequest) -> HttpResponse:
    """The kelurahan <option>s of a kecamatan, for the public form's dependent select (htmx)."""
    code = request.GET.get("kecamatan", "")
    context = {"villages": _villages(code), "grouped": not code, "selected_kelurahan": request.GET.get("kelurahan", "")}
    return TemplateResponse(request, "complaints/_kelurahan_options.html", context)


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("complaints:submit")
    return TemplateResponse(request, "complaints/submitted.html", {"code": code})


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET or None)
    context: dict = {"form": form, "result": None, "searched": False}
    code = 200
    if form.is_bound and form.is_valid():
        try:
            guard.check_rate("status", guard.client_key(request))
        except guard.RateLimited as exc:
            form.add_error(None, exc.message)
            return TemplateResponse(request, "complaints/status.html", context, status=429)
        context["searched"] = True
        context["result"] = selectors.public_status(form.cleaned_data["kode"])
        code = 200 if context["result"] else 404
    return TemplateResponse(request, "complaints/status.html", context, status=code)
