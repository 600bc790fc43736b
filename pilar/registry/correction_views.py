"""Correcting the registry from its pages (issue 11): a person's data, a household's KK number, a move to
another KK, and the household page that shows the KK with its members and history.

Thin views over the same services and forms as ``PATCH /api/v1/persons|households``: a person or household
outside the user's area answers 404, a visible one without ``registry.edit`` 403.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import form_arguments, perform
from pilar.identity.models import Person
from pilar.registry import corrections, selectors, services
from pilar.registry.correction_forms import KkChangeForm, MemberMoveForm, PersonCorrectForm, person_values
from pilar.registry.models import Household

PAGE = PersonalDataAccess.Channel.PAGE


def _person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(selectors.persons_visible_to(request.user).select_related("village"), pk=pk)
    require(request.user, Perm.REGISTRY_EDIT)
    return person


def _household(request: HttpRequest, pk: int) -> Household:
    return get_object_or_404(selectors.households_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    log_personal_access(request, channel=PAGE, obj=person, unmasked=True)
    form = PersonCorrectForm(request.POST or None, initial=person_values(person), user=request.user)
    if perform(
        request,
        form,
        lambda: corrections.person_correct(
            actor=signed_in(request), person=person, changes=form.changes(), reason=form.cleaned_data["reason"]
        ),
        _("Perbaikan data orang tersimpan."),
    ):
        return redirect("registry:person_detail", pk=person.pk)
    return TemplateResponse(request, "registry/person_edit.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = MemberMoveForm(request.POST or None, user=request.user)
    if perform(
        request,
        form,
        lambda: corrections.household_member_move(
            actor=signed_in(request), person=person, **form_arguments(form.cleaned_data, {"kk_number": "household"})
        ),
        _("%(name)s dipindahkan ke KK tujuan.") % {"name": person.name},
    ):
        return redirect("registry:household_detail", pk=form.cleaned_data["kk_number"].pk)
    context = {
        "form": form,
        "heading": _("Pindah ke KK lain"),
        "submit": _("Pindahkan"),
        "back_url": reverse("registry:person_detail", args=[person.pk]),
        "back_label": person.name,
        "lead": _("Keanggotaan di KK sekarang diakhiri pada tanggal berlaku dan tetap tercatat sebagai riwayat."),
    }
    return TemplateResponse(request, "registry/correction_form.html", context)


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    view = visibility_for(request.user, household)  # what this role sees of the family, as on every surface
    log_personal_access(request, channel=PAGE, obj=household, unmasked=view.unmasked)
    members = household.members.select_related("person").order_by("until", "since", "id")
    context = {
        "household": household,
        "kk": view.kk(household.kk_number),
        "place": view.place(household.address, household.rt, household.rw),
        "head": view.name(household.head.name) if household.head is not None else "",
        "members": [{"m": m, "name": view.name(m.person.name), "nik": view.nik(m.person.nik)} for m in members],
        "history": [{"h": h, "kk": view.kk(h.kk_number)} for h in household.kk_history.all()],
        "may_edit": can(request.user, Perm.REGISTRY_EDIT, household),
    }
    return TemplateResponse(request, "registry/household_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_change_kk(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    require(request.user, Perm.REGISTRY_EDIT, household)
    form = KkChangeForm(request.POST or None, initial={"on": timezone.localdate()}, user=request.user)
    if perform(
        request,
        form,
        lambda: services.household_change_kk(actor=signed_in(request), household=household, **form.cleaned_data),
        _("Nomor KK diganti; nomor lama tetap di riwayat KK."),
    ):
        return redirect("registry:household_detail", pk=household.pk)
    kk = visibility_for(request.user, household).kk(household.kk_number) or "–"
    context = {
        "form": form,
        "heading": _("Ganti nomor KK"),
        "submit": _("Ganti nomor KK"),
        "back_url": reverse("registry:household_detail", args=[household.pk]),
        "back_label": _("KK %(kk)s") % {"kk": kk},
        "lead": _(
            "Untuk KK yang diterbitkan ulang atau keluarga yang pecah KK. Nomor lama tidak ditimpa: tetap di "
            "riwayat KK dengan tanggal berlakunya."
        ),
    }
    return TemplateResponse(request, "registry/correction_form.html", context)
