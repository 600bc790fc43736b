"""The duplicate review pages: open candidate pairs, a side-by-side comparison, merge or "bukan duplikat".

Candidates are read through ``DuplicateCandidate.objects.visible_to`` (area scope; a pair outside the
user's area answers 404 like one that does not exist). Reviewing needs ``registry.dedup_review`` on top
(403 when visible but not allowed). The decisions are the services' (``dedup.services``).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import form_page
from pilar.core.listing import paginate
from pilar.identity.models import Person
from pilar.registry.dedup import services
from pilar.registry.models import DuplicateCandidate, HouseholdMember
from pilar.registry.selectors import shown_nik

PAGE_SIZE = 25
PAGE = PersonalDataAccess.Channel.PAGE


class KeepForm(forms.Form):
    keep = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], error_messages={"required": _("Pilih data yang dipertahankan.")}
    )


def candidates_for(user: Any):
    """The candidate pairs of the user's area; 403 without ``registry.dedup_review``."""
    require(user, Perm.DEDUP_REVIEW)
    return DuplicateCandidate.objects.visible_to(user)


def get_candidate_for_user(user: Any, pk: int) -> DuplicateCandidate:
    """404 outside the user's area (checked first, so the answer tells nothing), 403 without the permission."""
    qs = DuplicateCandidate.objects.visible_to(user).select_related("person_a", "person_b", "kelurahan")
    candidate = get_object_or_404(qs, pk=pk)
    require(user, Perm.DEDUP_REVIEW, candidate)
    return candidate


@require_GET
@login_required
def candidate_list(request: HttpRequest) -> TemplateResponse:
    qs = candidates_for(request.user).filter(status=DuplicateCandidate.Status.OPEN)
    qs = qs.select_related("person_a", "person_b", "kelurahan").order_by("-score", "id")
    page = paginate(request, qs, PAGE_SIZE, deferred=False)
    user = request.user
    rows = [
        {"candidate": c, "nik_a": shown_nik(user, c.person_a.nik, c), "nik_b": shown_nik(user, c.person_b.nik, c)}
        for c in page
    ]
    log_personal_access(
        request, channel=PAGE, model=Person, count=2 * len(rows), unmasked=can(request.user, Perm.PPKS_VIEW_PERSONAL)
    )
    context = {"page": page, "rows": rows, "current": "registry_dedup:list"}
    return TemplateResponse(request, "registry/dedup/list.html", context)


def _side(user: Any, person: Person, candidate: DuplicateCandidate) -> dict[str, Any]:
    member = (
        HouseholdMember.objects.filter(person=person, until__isnull=True).select_related("household__kelurahan").first()
    )
    return {
        "person": person,
        "nik": shown_nik(user, person.nik, candidate),
        "household": member.household if member else None,
        "records": person.ppks_records.select_related("category").order_by("id")[:10],
        "record_count": person.ppks_records.count(),
    }


@require_GET
@login_required
def candidate_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    return _detail(request, get_candidate_for_user(request.user, pk))


def _detail(request: HttpRequest, candidate: DuplicateCandidate, form: KeepForm | None = None) -> TemplateResponse:
    for person in (candidate.person_a, candidate.person_b):
        log_personal_access(
            request, channel=PAGE, obj=person, unmasked=can(request.user, Perm.PPKS_VIEW_PERSONAL, candidate)
        )
    context = {
        "candidate": candidate,
        "a": _side(request.user, candidate.person_a, candidate),
        "b": _side(request.user, candidate.person_b, candidate),
        "form": form or KeepForm(),
        "is_open": candidate.status == DuplicateCandidate.Status.OPEN,
        "current": "registry_dedup:list",
    }
    return form_page(request, "registry/dedup/detail.html", context)  # after a POST: refused (400)


@require_POST
@login_required
def candidate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk)
    form = KeepForm(request.POST)
    if not form.is_valid():
        return _detail(request, candidate, form)
    keep = candidate.person_a if form.cleaned_data["keep"] == "a" else candidate.person_b
    try:
        services.duplicate_merge(candidate=candidate, actor=signed_in(request), keep=keep)
    except DomainError as exc:
        form.add_error("keep" if exc.field == "keep" else None, exc.message)
        return _detail(request, candidate, form)
    messages.success(request, _("Data digabung ke %(name)s.") % {"name": keep.name})
    return redirect("registry_dedup:list")


@require_POST
@login_required
def candidate_distinct(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk)
    try:
        services.duplicate_mark_distinct(candidate=candidate, actor=signed_in(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, candidate)
    messages.success(request, _("Ditandai bukan duplikat; pasangan ini tidak akan diusulkan lagi."))
    return redirect("registry_dedup:list")
