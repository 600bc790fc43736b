"""Dinsos' queue of registrations routed from outside the registry's area (``registry.requests``).

Operators see the attempt beside the record that already holds the NIK/KK, then move that person or family
into the requester's kelurahan or refuse with a reason. Nobody else sees these pages (403).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.registry import requests
from pilar.registry.request_models import RegistrationRequest

PAGE_SIZE = 25


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan untuk pemohon"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _queue(user: Any):
    require(user, Perm.REGISTRY_REQUESTS)
    return RegistrationRequest.objects.select_related("requested_by", "kelurahan__parent", "person", "household")


@require_GET
@login_required
def request_list(request: HttpRequest) -> TemplateResponse:
    status = request.GET.get("status", RegistrationRequest.Status.PENDING)
    qs = _queue(request.user)
    if status in RegistrationRequest.Status.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs.order_by("-id"), PAGE_SIZE)
    log_personal_access(
        request,
        channel=PersonalDataAccess.Channel.PAGE,
        model=RegistrationRequest,
        count=len(page.object_list),
        unmasked=True,
    )
    context = {
        "page": page,
        "page_range": page_links(page),
        "status": status,
        "statuses": RegistrationRequest.Status.choices,
    }
    return TemplateResponse(request, "registry/requests/list.html", context)


def _detail(request: HttpRequest, item: RegistrationRequest, form: DecisionForm | None = None) -> TemplateResponse:
    person, household = item.person, item.household
    view = visibility_for(request.user, household)
    # A request names a person or a family, never both (the model's check constraint).
    if person is not None:
        existing, existing_id, existing_area = person.name, view.nik(person.nik), person.village
    elif household is not None:
        existing = household.head.name if household.head is not None else ""
        existing_id, existing_area = view.kk(household.kk_number), household.kelurahan
    else:
        raise ValueError(f"registration request {item.pk} names neither a person nor a family")
    context = {
        "item": item,
        "form": form or DecisionForm(),
        "existing": existing,
        "existing_id": existing_id,
        "existing_area": existing_area,
        "subject": person or household,
    }
    return TemplateResponse(request, "registry/requests/detail.html", context, status=400 if form else 200)


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    item = get_object_or_404(_queue(request.user), pk=pk)
    log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=item, unmasked=True)
    return _detail(request, item)


def _decide(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    item = get_object_or_404(_queue(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, form)
    try:
        service(request=item, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        form.add_error("note" if exc.field == "note" else None, exc.message)
        return _detail(request, item, form)
    messages.success(request, done)
    return redirect("registry:request_list")


@require_POST
@login_required
def request_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, requests.registration_request_move, _("Data dipindahkan ke wilayah pemohon."))


@require_POST
@login_required
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, requests.registration_request_refuse, _("Permintaan ditolak; pemohon diberi tahu."))
