"""Dinsos' queue of registrations routed from outside the registry's area (``registry.requests``).

Operators see the attempt beside the record that already holds the NIK/KK, then move that person or family
into the requester's kelurahan or refuse with a reason. Nobody else sees these pages (403).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import Perm, can
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.paging import DeferredJoinPaginator, page_links
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
    if not can(user, Perm.REGISTRY_REQUESTS):
        raise PermissionDenied
    return RegistrationRequest.objects.select_related("requested_by", "kelurahan__parent", "person", "household")


@require_GET
@login_required
def request_list(request: HttpRequest) -> TemplateResponse:
    status = request.GET.get("status", RegistrationRequest.Status.PENDING)
    qs = _queue(request.user)
    if status in RegistrationRequest.Status.values:
        qs = qs.filter(status=status)
    page = DeferredJoinPaginator(qs.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
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
    subject = item.person or item.household
    view = visibility_for(request.user, item.household)
    context = {
        "item": item,
        "form": form or DecisionForm(),
        "existing": item.person.name
        if item.person_id
        else (item.household.head.name if item.household.head_id else ""),
        "existing_id": view.nik(item.person.nik) if item.person_id else view.kk(item.household.kk_number),
        "existing_area": (item.person.village if item.person_id else item.household.kelurahan),
        "subject": subject,
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
