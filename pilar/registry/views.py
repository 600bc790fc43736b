"""The PPKS registry pages (issue 3): list, detail with the verval timeline, proposal, person.

Thin views: load through ``selectors`` (a record outside the user's area answers 404, a visible one
without the permission 403), validate with a form from ``forms``, call one service, redirect with a
message. The verval steps are declared in ``workflow.PPKS`` and run by the generic step view
(``pilar.core.workflow_views``, wired in ``urls``); the detail page offers the steps the declaration allows.
"""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms import Form, ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.accounts.templatetags.pilar import tanggal
from pilar.accounts.visibility import visibility_for
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.errors import DomainError
from pilar.core.forms import add_domain_error, apply_service_errors, field_of, perform
from pilar.core.htmx import partial_requested
from pilar.core.idempotency import idempotent
from pilar.core.paging import big_page
from pilar.core.workflow_views import step_forms
from pilar.identity.models import Person
from pilar.identity.search import persons_found
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan
from pilar.registry import requests, selectors, services
from pilar.registry.evidence import may_add_evidence
from pilar.registry.forms import EvidenceForm, PersonForm, PpksProposeForm
from pilar.registry.models import Category, Household, PpksRecord, PpksStatus
from pilar.registry.request_models import RegistrationRequest
from pilar.registry.workflow import PPKS

PAGE_SIZE = 25
# What a line of the registry list shows (``_row``): the page reads these columns of the record and its
# relations, not the ~100 of the six joined tables, whose conversion into model instances was a fifth of the
# list's CPU.
LIST_COLUMNS = (
    "status",
    "proposed_at",
    "kecamatan__name",
    "kelurahan__name",
    "category__name",
    "person__name",
    "person__nik",
    "household__head__name",
    "household__head__nik",
)
PERSON_MATCHES = 10
PAGE = PersonalDataAccess.Channel.PAGE


def _nik(user: Any, person: Person | None, obj: Any = None) -> str:
    return (selectors.shown_nik(user, person.nik, obj) if person else None) or "–"


def _row(user: Any, record: PpksRecord, statuses: dict[str, str]) -> dict[str, Any]:
    """One line of the registry list, its cells as plain text: the template renders 25 of them a page, and a
    look-up through the models or a filter per cell is most of a list's CPU (``statuses``: value -> label, made
    once per page)."""
    subject, view = _subject(record), visibility_for(user, record)
    name = view.name(subject.name) if subject else str(record.household or "")
    return {
        "record": record,
        "subject": subject,
        "name": name,
        "nik": (view.nik(subject.nik) if subject else None) or "–",
        "url": record.get_absolute_url(),
        "family": record.household_id is not None,
        "category": record.category.name,
        "kelurahan": record.kelurahan.name,
        "kecamatan": record.kecamatan.name,
        "status": record.status,
        "status_label": statuses.get(record.status, record.status),
        "proposed": tanggal(record.proposed_at),
    }


def _subject(record: PpksRecord) -> Person | None:
    return record.person or (record.household.head if record.household is not None else None)


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
    records, total = selectors.ppks_found(request.user, filters)
    # Numbered pages over the first rows, then pages after the last id: never a count or an offset of a
    # million records (core/paging.py).
    page = big_page(records.select_related("household__head").only(*LIST_COLUMNS), request.GET, PAGE_SIZE, total)
    statuses = {value: str(label) for value, label in PpksStatus.choices}
    rows = [_row(request.user, r, statuses) for r in page.rows]
    unmasked = bool(rows) and visibility_for(request.user).unmasked
    log_personal_access(request, channel=PAGE, model=PpksRecord, count=len(rows), unmasked=unmasked)
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "kecamatan_options": city_kecamatan(),
        "village_options": Region.objects.villages().filter(parent__code=filters.kecamatan)
        if filters.kecamatan
        else Region.objects.none(),
        "categories": Category.objects.filter(kind__in=Category.RECORDED_KINDS).only("code", "name"),
        "statuses": PpksStatus.choices,
    }
    # A history restore asks for the whole page even though it comes from htmx.
    partial = partial_requested(request)
    return TemplateResponse(request, "registry/list.html#results" if partial else "registry/list.html", context)


# --- detail (its steps: ``workflow.PPKS``) ------------------------------------------------------------


def _timeline(record: PpksRecord) -> list[dict[str, Any]]:
    labels = dict(PpksStatus.choices)
    return [
        {
            "event": e,
            "label": PPKS.event_label(e.action),
            "from": labels.get(e.from_status, e.from_status),
            "to": labels.get(e.to_status, e.to_status),
        }
        for e in record.events.select_related("actor")
    ]


def detail_page(
    request: HttpRequest,
    record: PpksRecord,
    failed: dict[str, Form] | None = None,
    status: int = 200,
    evidence_form: Form | None = None,
) -> HttpResponse:
    """The record with its timeline and the steps ``PPKS`` offers the user now (``failed``: a refused step's form
    in its place); ``evidence_form``: a refused upload."""
    user = signed_in(request)
    view = visibility_for(user, record)
    log_personal_access(request, channel=PAGE, obj=record, unmasked=view.unmasked)
    subject, notes_shown = _subject(record), view.notes_of(record.category.code)
    steps = step_forms(PPKS, "registry", user, record, failed or {}, name_prefix="ppks_")
    members = []
    if record.household is not None:
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
        ),
        "nik": (view.nik(subject.nik) if subject else None) or "–",
        "location": view.location(record.latitude) is not None,
        "kk": view.kk(record.household.kk_number) if record.household is not None else None,
        "members": members,
        "notes_shown": notes_shown,
        # The proposer reads why the record came back, whatever its category (to correct it).
        "own": record.reported_by_id == user.pk,
        "timeline": _timeline(record),
        "duplicate_visible": earlier is not None and PpksRecord.objects.visible_to(user).filter(pk=earlier).exists(),
        "steps": steps,
        "forms": {item.step.name: item.form for item in steps},
        "evidence": record.evidence.select_related("uploaded_by") if notes_shown else record.evidence.none(),
        "evidence_hidden": 0 if notes_shown else record.evidence.count(),
        "evidence_form": evidence_form or (EvidenceForm() if may_add_evidence(user, record) else None),
    }
    status = 400 if evidence_form is not None else status
    return TemplateResponse(request, "registry/detail.html", context, status=status)


@login_required
@require_GET
def ppks_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, selectors.get_ppks_for_user(request.user, pk))


# --- proposal: find or add the person, then propose ----------------------------------------------


def _person_matches(user: Any, q: str) -> QuerySet[Person]:
    return persons_found(selectors.persons_visible_to(user).select_related("village"), q)[0][:PERSON_MATCHES]


def _person_form(request: HttpRequest) -> PersonForm:
    form = PersonForm(request.POST if request.method == "POST" else None, user=request.user)
    field_of(form, "village", ModelChoiceField).queryset = selectors.villages_in_area(request.user)
    return form


def _find_person_step(request: HttpRequest) -> HttpResponse:
    """Step 1: search the persons the user may see, or add one (``requests.person_register``)."""
    form = _person_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            person = requests.person_register(actor=signed_in(request), data=form.person_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
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
    initial = {
        "person": person.pk,
        "kelurahan": here or (villages.first() if villages.count() == 1 else None),
        "rt": person.rt,
        "rw": person.rw,
        "address": person.address,
    }
    form = PpksProposeForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    field_of(form, "kelurahan", ModelChoiceField).queryset = villages
    # The person is the one chosen in step 1 (in the address), not whatever id the body carries.
    field_of(form, "person", ModelChoiceField).queryset = selectors.persons_visible_to(request.user).filter(
        pk=person.pk
    )
    # A family category is proposed for the person's current KK, if the user may see it.
    field_of(form, "household", ModelChoiceField).queryset = Household.objects.visible_to(request.user).filter(
        members__person=person, members__until__isnull=True
    )
    return form


def _propose_step(request: HttpRequest, person: Person) -> HttpResponse:
    """Step 2: the proposal for the chosen person (``services.ppks_propose``)."""
    form = _propose_form(request, person)
    record = perform(
        request,
        form,
        lambda: services.ppks_propose(actor=signed_in(request), **form.service_kwargs()),
        _("Usulan PPKS tersimpan dan menunggu verifikasi."),
    )
    if record:
        return redirect(record)
    context = {
        "person": person,
        "nik": _nik(request.user, person),
        "form": form,
        "categories": field_of(form, "category", ModelChoiceField).queryset,
    }
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
    # Each of the person's few households checked against the user's area on its own (EXISTS by its key), not
    # ``household IN (the area's households)``: SQLite built that set, every household of a kecamatan, to show one
    # person (66 ms of a TKSK's page at a million records).
    visible_household = Household.objects.visible_to(request.user).filter(pk=OuterRef("household_id"))
    memberships = list(
        person.memberships.filter(Exists(visible_household)).select_related("household__kelurahan", "household__head")
    )
    # The household ids as values, not a subquery: an OR with a subquery makes PostgreSQL read every record.
    households = {m.household_id for m in memberships}
    # The person's and their households' records found by those two indexes first, then the user's scope asked of
    # those few ids: asked in one query with the scope, SQLite read every record of a TKSK's kecamatan instead
    # (its index looked more selective than the OR of two; 150-330 ms at a million records).
    found = PpksRecord.objects.filter(Q(person=person) | Q(household_id__in=households)).order_by()
    records = (
        PpksRecord.objects.visible_to(request.user)
        .filter(pk__in=list(found.values_list("pk", flat=True)))
        # The columns the page's table shows, not the ~70 of the record and the five tables it usually joins.
        .select_related("category", "kelurahan")
        .only("status", "proposed_at", "household", "category__name", "kelurahan__name")
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
                "head": view.name(m.household.head.name) if m.household.head is not None else "",
            }
            for m in memberships
        ],
        "records": records.order_by("-id"),
    }
    return TemplateResponse(request, "registry/person_detail.html", context)
