"""Pages of the data-subject rights: the requests register, a person's export, restriction, erasure, the RoPA."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar import audit
from pilar.accounts.permissions import Perm, requires, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.core.errors import DomainError
from pilar.core.forms import form_arguments, perform
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.identity.models import Person
from pilar.registry.selectors import persons_visible_to
from pilar.rights import services
from pilar.rights.export import person_export
from pilar.rights.forms import AnswerForm, IdentityForm, ReasonForm, RequestForm
from pilar.rights.models import DataRequest, RequestState
from pilar.rights.pdf import export_pdf
from pilar.rights.ropa import ropa_rows


@login_required
@require_GET
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def request_list(request: HttpRequest) -> HttpResponse:
    rows = DataRequest.objects.visible_to(request.user).select_related("person")
    state = request.GET.get("status", "")
    if state == "terlambat":
        rows = rows.overdue()
    elif state in RequestState.values:
        rows = rows.filter(state=state)
    page = paginate(request, rows, 25)
    context = {"page": page, "page_range": page_links(page), "status": state, "states": RequestState.choices}
    return TemplateResponse(request, "rights/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    created = perform(
        request,
        form,
        lambda: services.request_register(
            actor=signed_in(request), **form_arguments(form.cleaned_data, {"nik": "person"})
        ),
        _("Permintaan dicatat; jawaban pertama paling lambat 3×24 jam."),
    )
    if created:
        return redirect("rights:detail", created.pk)
    return TemplateResponse(request, "rights/form.html", {"form": form})


def _get(request: HttpRequest, pk: int) -> DataRequest:
    return get_object_or_404(DataRequest.objects.visible_to(request.user).select_related("person"), pk=pk)


@login_required
@require_GET
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = _get(request, pk)
    person = data_request.person
    if person is not None and not persons_visible_to(request.user).filter(pk=person.pk).exists():
        person = None  # restricted: only an Admin Dinsos acts on this person
    context = {
        "req": data_request,
        "person": person,
        "identity_form": IdentityForm(),
        "answer_form": AnswerForm(),
        "reason_form": ReasonForm(),
        "holds": services.legal_holds(person) if person else [],
    }
    return TemplateResponse(request, "rights/detail.html", context)


@login_required
@require_POST
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    data_request = _get(request, pk)
    form_class = {"identitas": IdentityForm, "jawab": AnswerForm}.get(action, ReasonForm)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("rights:detail", pk)
    try:
        _act(request, data_request, action, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("rights:detail", pk)


def _act(request: HttpRequest, data_request: DataRequest, action: str, data: dict) -> None:
    actor = signed_in(request)
    if action == "identitas":
        services.request_check_identity(request=data_request, actor=actor, document=data["document"])
        messages.success(request, _("Pemeriksaan identitas dicatat."))
        return
    if action == "jawab":
        services.request_answer(request=data_request, actor=actor, answer=data["answer"], state=data["state"])
        messages.success(request, _("Jawaban dicatat."))
        return
    person = get_object_or_404(persons_visible_to(actor), pk=getattr(data_request.person, "pk", None))
    if action == "batasi":
        services.person_restrict(person=person, actor=actor, reason=data["reason"])
        messages.success(request, _("Pemrosesan data orang ini dibatasi."))
    elif action == "buka-batasan":
        services.person_unrestrict(person=person, actor=actor, reason=data["reason"])
        messages.success(request, _("Pembatasan dicabut."))
    elif action == "hapus":
        outcome = services.person_erase(person=person, actor=actor, reason=data["reason"])
        messages.success(request, _("Data orang ini %(outcome)s.") % {"outcome": outcome})
    else:
        raise PermissionDenied


@login_required
@require_GET
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def person_download(request: HttpRequest, person_id: int, fmt: str) -> HttpResponse:
    person: Person = get_object_or_404(persons_visible_to(request.user).select_related("village"), pk=person_id)
    data = person_export(person)
    audit.log_personal_access(request, channel=PersonalDataAccess.Channel.EXPORT, obj=person, unmasked=True)
    services.record_export(person=person, actor=signed_in(request), fmt=fmt)
    if fmt == "json":
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(export_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{person.pk}.{fmt}"'
    return response


@login_required
@require_GET
@requires(Perm.RIGHTS_MANAGE, city_wide=True)
def ropa(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "rights/ropa.html", {"rows": ropa_rows()})
