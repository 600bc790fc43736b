"""The PPKS registry pages (issue 3): list, detail with the verval timeline, proposal, workflow actions.

Thin views: load through ``selectors`` (a record outside the user's area answers 404, a visible one
without the permission 403), validate with a form from ``forms``, call one service, redirect with a
message. Which step a status allows, and that nobody checks their own proposal, is decided by
``services``; the detail page only hides the buttons that would be refused anyway.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can, require
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import apply_service_errors
from pilar.core.idempotency import idempotent
from pilar.core.paging import DeferredJoinPaginator, page_links
from pilar.identity.models import Person
from pilar.identity.search import persons_matching
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan
from pilar.registry import requests, selectors, services
from pilar.registry.evidence import may_add_evidence
from pilar.registry.forms import (
    EvidenceForm,
    ExitForm,
    PersonForm,
    PpksProposeForm,
    ReasonForm,
    ResubmitForm,
    ValidateForm,
    VerifyForm,
)
from pilar.registry.models import Category, Household, PpksRecord, PpksStatus
from pilar.registry.request_models import RegistrationRequest

PAGE_SIZE = 25
PERSON_MATCHES = 10
PAGE = PersonalDataAccess.Channel.PAGE
S = PpksStatus
REVIEWERS = (Perm.PPKS_VERIFY, Perm.PPKS_VALIDATE)

EVENT_LABELS = {
    "proposed": gettext_lazy("Diusulkan"),
    "verified": gettext_lazy("Verifikasi lapangan"),
    "validated": gettext_lazy("Ditetapkan"),
    "returned": gettext_lazy("Dikembalikan untuk perbaikan"),
    "resubmitted": gettext_lazy("Diajukan ulang"),
    "rejected": gettext_lazy("Ditolak"),
    "exited": gettext_lazy("Dikeluarkan"),
    "merged_closed": gettext_lazy("Ditutup: ganda setelah penggabungan data orang"),
}


@dataclass(frozen=True)
class Action:
    """One workflow step as the pages offer it: its form, service, permissions and the statuses it needs."""

    name: str
    form: type[Form]
    service: Callable[..., PpksRecord]
    perms: tuple[Perm, ...]
    statuses: tuple[str, ...]
    done: Any  # the success message (lazy: translated per request)
    own_ok: bool = False  # the proposer's own steps (resubmit) and exits are not "checking one's own"
    kwargs: Callable[[Any], dict[str, Any]] = lambda form: form.cleaned_data

    def bound(self, data: Any = None, user: Any = None) -> Form:
        # Several action forms share a page: each needs its own element ids.
        return self.form(data, user=user, auto_id=f"id_{self.name}_%s")

    def offered(self, user: Any, record: PpksRecord) -> bool:
        """Whether to show this step now (a courtesy: the view and the service check again)."""
        own = record.reported_by_id is not None and record.reported_by_id == user.pk
        allowed = any(can(user, perm, record) for perm in self.perms)
        return allowed and record.status in self.statuses and (self.own_ok or not own)


ACTIONS = {
    a.name: a
    for a in (
        Action("verify", VerifyForm, services.ppks_verify, (Perm.PPKS_VERIFY,), (S.PROPOSED,),
               gettext_lazy("Hasil verifikasi lapangan tersimpan.")),
        Action("validate", ValidateForm, services.ppks_validate, (Perm.PPKS_VALIDATE,), (S.VERIFIED,),
               gettext_lazy("Data PPKS ditetapkan.")),
        Action("return", ReasonForm, services.ppks_return, REVIEWERS, (S.PROPOSED, S.VERIFIED),
               gettext_lazy("Data dikembalikan ke pengusul untuk diperbaiki.")),
        Action("resubmit", ResubmitForm, services.ppks_resubmit, (Perm.PPKS_PROPOSE,), (S.NEEDS_FIX,),
               gettext_lazy("Perbaikan diajukan ulang untuk diverifikasi."), own_ok=True,
               kwargs=lambda form: {"note": form.cleaned_data["note"], **form.fixes()}),
        Action("reject", ReasonForm, services.ppks_reject, REVIEWERS, (S.PROPOSED, S.NEEDS_FIX, S.VERIFIED),
               gettext_lazy("Usulan ditolak.")),
        Action("exit", ExitForm, services.ppks_exit, (Perm.PPKS_EXIT,), (S.VALIDATED,),
               gettext_lazy("Data PPKS dikeluarkan dari registri."), own_ok=True),
    )
}  # fmt: skip


def _nik(user: Any, person: Person | None, obj: Any = None) -> str:
    return (selectors.shown_nik(user, person.nik, obj) if person else None) or "–"


def _row(user: Any, record: PpksRecord) -> dict[str, Any]:
    subject, view = _subject(record), visibility_for(user, record)
    name = view.name(subject.name) if subject else str(record.household or "")
    return {
        "record": record,
        "subject": subject,
        "name": name,
        "nik": (view.nik(subject.nik) if subject else None) or "–",
    }


def _subject(record: PpksRecord) -> Person | None:
    return record.person or (record.household.head if record.household_id else None)


# --- list ---------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.PpksFilter:
    filters = selectors.PpksFilter.from_params(request.GET)
    # As on the workforce list: a kelurahan left over from the previous kecamatan would empty the list.
    if filters.kelurahan and filters.kecamatan and not filters.kelurahan.startswith(filters.kecamatan + "."):
        filters = replace(filters, kelurahan="")
    return filters


@login_required
@require_GET
def ppks_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PPKS_VIEW)
    filters = _filters(request)
    records = selectors.ppks_list(request.user, filters).select_related("household__head")
    page = DeferredJoinPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(request.user, r) for r in page]
    unmasked = bool(rows) and visibility_for(request.user).unmasked
    log_personal_access(request, channel=PAGE, model=PpksRecord, count=len(rows), unmasked=unmasked)
    context = {
        "page": page,
        "page_range": page_links(page),
        "rows": rows,
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
        "village_options": Region.objects.villages().filter(parent__code=filters.kecamatan)
        if filters.kecamatan
        else Region.objects.none(),
        "categories": Category.objects.filter(kind__in=Category.RECORDED_KINDS),
        "statuses": PpksStatus.choices,
    }
    # A history restore asks for the whole page even though it comes from htmx.
    partial = request.htmx and not request.htmx.history_restore_request
    return TemplateResponse(request, "registry/list.html#results" if partial else "registry/list.html", context)


# --- detail and the workflow actions ------------------------------------------------------------


def _timeline(record: PpksRecord) -> list[dict[str, Any]]:
    labels = dict(PpksStatus.choices)
    return [
        {"event": e, "label": EVENT_LABELS.get(e.action, e.action),
         "from": labels.get(e.from_status, e.from_status), "to": labels.get(e.to_status, e.to_status)}
        for e in record.events.select_related("actor")
    ]  # fmt: skip


def detail_page(
    request: HttpRequest,
    record: PpksRecord,
    failed: Form | None = None,
    name: str = "",
    evidence_form: Form | None = None,
) -> HttpResponse:
    """The record with its timeline and the steps the user may take now; ``failed`` is a refused form."""
    user = request.user
    view = visibility_for(user, record)
    log_personal_access(request, channel=PAGE, obj=record, unmasked=view.unmasked)
    subject, notes_shown = _subject(record), view.notes_of(record.category.code)
    forms = {n: a.bound(user=user) for n, a in ACTIONS.items() if a.offered(user, record)}
    if failed is not None:
        forms[name] = failed
    members = []
    if record.household_id:
        members = [
            {"member": m, "name": view.name(m.person.name), "nik": view.nik(m.person.nik) or "–"}
            for m in record.household.members.filter(until__isnull=True).select_related("person")
        ]
    earlier = record.duplicate_of_id
    context = {
        "record": record,
        "subject": subject,
        "shown": view.show(
            name=subject.name if subject else "",
            nik=subject.nik if subject else "",
            birth_date=subject.birth_date if subject else None,
            place=(record.address, record.rt, record.rw),
            notes=record.notes,
            category=record.category.code,
        ),  # fmt: skip
        "nik": (view.nik(subject.nik) if subject else None) or "–",
        "location": view.location(record.latitude) is not None,
        "kk": view.kk(record.household.kk_number) if record.household_id else None,
        "members": members,
        "notes_shown": notes_shown,
        # The proposer reads why the record came back, whatever its category (to correct it).
        "own": record.reported_by_id == user.pk,
        "timeline": _timeline(record),
        "duplicate_visible": bool(earlier) and PpksRecord.objects.visible_to(user).filter(pk=earlier).exists(),
        "forms": forms,
        "evidence": record.evidence.select_related("uploaded_by") if notes_shown else record.evidence.none(),
        "evidence_hidden": 0 if notes_shown else record.evidence.count(),
        "evidence_form": evidence_form or (EvidenceForm() if may_add_evidence(user, record) else None),
    }
    refused = failed is not None or evidence_form is not None
    return TemplateResponse(request, "registry/detail.html", context, status=400 if refused else 200)


def _record(request: HttpRequest, pk: int) -> PpksRecord:
    return selectors.get_ppks_for_user(request.user, pk)


@login_required
@require_GET
def ppks_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, _record(request, pk))


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Validate the step's form and call its one service; a refusal shows the record again with the reason."""
    action = ACTIONS[name]
    record = _record(request, pk)  # 404 outside the user's area
    if not any(can(request.user, perm, record) for perm in action.perms):
        raise PermissionDenied
    form = action.bound(request.POST, user=request.user)
    if form.is_valid():
        try:
            action.service(record=record, actor=request.user, **action.kwargs(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, action.done)
            return redirect(record)
    return detail_page(request, record, form, name)


def _action_view(name: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, name)

    view.__name__ = view.__qualname__ = f"ppks_{name}"
    return view


ppks_verify = _action_view("verify")
ppks_validate = _action_view("validate")
ppks_return = _action_view("return")
ppks_resubmit = _action_view("resubmit")
ppks_reject = _action_view("reject")
ppks_exit = _action_view("exit")


# --- proposal: find or add the person, then propose ----------------------------------------------


def _person_matches(user: Any, q: str) -> QuerySet[Person]:
    return persons_matching(selectors.persons_visible_to(user).select_related("village"), q)[:PERSON_MATCHES]


def _person_form(request: HttpRequest) -> PersonForm:
    form = PersonForm(request.POST if request.method == "POST" else None, user=request.user)
    form.fields["village"].queryset = selectors.villages_in_area(request.user)
    return form


def _find_person_step(request: HttpRequest) -> HttpResponse:
    """Step 1: search the persons the user may see, or add one (``requests.person_register``)."""
    form = _person_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            person = requests.person_register(actor=request.user, data=form.person_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if isinstance(person, RegistrationRequest):
                messages.info(request, requests.routed_message(person))
                return redirect("registry:ppks_propose")
            messages.success(request, _("Data orang tersimpan. Lanjutkan dengan usulan PPKS."))
            return redirect(f"{reverse('registry:ppks_propose')}?person={person.pk}")
    q = request.GET.get("q", "").strip()
    matches = list(_person_matches(request.user, q)) if q else []
    if matches:
        unmasked = visibility_for(request.user).unmasked
        log_personal_access(request, channel=PAGE, model=Person, count=len(matches), unmasked=unmasked)
    context = {
        "q": q,
        "matches": [{"person": p, "nik": _nik(request.user, p)} for p in matches],
        "form": form,
    }
    return TemplateResponse(request, "registry/propose_person.html", context, status=400 if form.errors else 200)


def _propose_form(request: HttpRequest, person: Person) -> PpksProposeForm:
    villages = selectors.villages_in_area(request.user)
    here = person.village if person.village_id and villages.filter(pk=person.village_id).exists() else None
    initial = {"person": person.pk, "kelurahan": here or (villages.first() if villages.count() == 1 else None),
               "rt": person.rt, "rw": person.rw, "address": person.address}  # fmt: skip
    form = PpksProposeForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    form.fields["kelurahan"].queryset = villages
    # The person is the one chosen in step 1 (in the address), not whatever id the body carries.
    form.fields["person"].queryset = selectors.persons_visible_to(request.user).filter(pk=person.pk)
    # A family category is proposed for the person's current KK, if the user may see it.
    form.fields["household"].queryset = Household.objects.visible_to(request.user).filter(
        members__person=person, members__until__isnull=True
    )
    return form


def _propose_step(request: HttpRequest, person: Person) -> HttpResponse:
    """Step 2: the proposal for the chosen person (``services.ppks_propose``)."""
    form = _propose_form(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.ppks_propose(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Usulan PPKS tersimpan dan menunggu verifikasi."))
            return redirect(record)
    context = {"person": person, "nik": _nik(request.user, person), "form": form,
               "categories": form.fields["category"].queryset}  # fmt: skip
    return TemplateResponse(request, "registry/propose.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def ppks_propose(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PPKS_PROPOSE)
    person_pk = request.GET.get("person", "")
    if not person_pk:
        return _find_person_step(request)
    if not person_pk.isdigit():
        return redirect("registry:ppks_propose")
    return _propose_step(request, get_object_or_404(selectors.persons_visible_to(request.user), pk=person_pk))


# --- person -------------------------------------------------------------------------------------


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.persons_visible_to(request.user).select_related("village"), pk=pk)
    view = visibility_for(request.user)
    log_personal_access(request, channel=PAGE, obj=person, unmasked=view.unmasked)
    memberships = list(
        person.memberships.filter(household__in=Household.objects.visible_to(request.user)).select_related(
            "household__kelurahan", "household__head"
        )
    )
    # The household ids as values, not a subquery: an OR with a subquery makes PostgreSQL read every record.
    households = {m.household_id for m in memberships}
    records = (
        PpksRecord.objects.visible_to(request.user).listing().filter(Q(person=person) | Q(household_id__in=households))
    )
    context = {
        "person": person,
        "shown": view.show(
            name=person.name,
            nik=person.nik or "–",
            birth_date=person.birth_date,
            birth_place=person.birth_place,
            place=(person.address, person.rt, person.rw),
            phone=person.phone,
        ),
        "memberships": [
            {
                "m": m,
                "kk": selectors.shown_kk(request.user, m.household.kk_number, m.household),
                "head": view.name(m.household.head.name) if m.household.head_id else "",
            }
            for m in memberships
        ],
        "records": records.order_by("-id"),
    }
    return TemplateResponse(request, "registry/person_detail.html", context)
