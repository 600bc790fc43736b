"""``/api/v1/referrals`` and ``/api/v1/agencies``: referrals of cases to agencies (OPD), over the referral services.

Refusals: a referral (or case) the user may not see 404, visible but not theirs to answer 403, a
step the status no longer allows 409 (someone answered first), invalid input 400 on the field.
An agency user lists only what is addressed to its agency, and reads only the minimum of the case.
"""

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, require
from pilar.accounts.visibility import visibility_for
from pilar.api.form_schema import form_body, query_of, valid_form
from pilar.api.pagination import LoggedPage, Page, log_one
from pilar.api.workflow import HistoryOut, history_row, step_routes
from pilar.referrals import selectors, services
from pilar.referrals.forms import SendForm
from pilar.referrals.models import Referral
from pilar.referrals.workflow import REFERRAL

router = Router(tags=["rujukan"])
agencies = Router(tags=["rujukan"])


class AgencyOut(Schema):
    code: str
    name: str


class ReferralOut(Schema):
    id: int
    case: int
    agency: str
    agency_name: str
    status: str
    overdue: bool
    kelurahan: str
    kecamatan: str
    name: str
    category: str | None
    reason: str
    sent_at: datetime
    answer_due: date
    decided_at: datetime | None
    completed_on: date | None


class ReferralEventOut(HistoryOut):
    note: str


class ReferralDetailOut(ReferralOut):
    contact_name: str
    contact_phone: str
    sent_by: str
    decline_reason: str
    outcome: str
    events: list[ReferralEventOut]


@query_of(selectors.ReferralFilter)
class ReferralFilterIn(Schema):
    """The list's query parameters: the fields of ``ReferralFilter``, which the list page reads too."""


class AgencyCountOut(Schema):
    agency: str
    status: str
    count: int


class KecamatanCountOut(AgencyCountOut):
    kecamatan: str


class KelurahanCountOut(AgencyCountOut):
    kelurahan: str


class CountsOut(Schema):
    by_agency: list[AgencyCountOut]
    by_kecamatan: list[KecamatanCountOut]
    by_kelurahan: list[KelurahanCountOut]
    overdue: int


class CreateForm(SendForm):
    case = forms.IntegerField(label=_("Kasus"), min_value=1, error_messages={"required": _("Pilih kasus.")})


def _out(request, referral: Referral) -> dict[str, Any]:
    case = referral.case
    return {
        "id": referral.pk,
        "case": referral.case_id,
        "agency": referral.agency.code,
        "agency_name": referral.agency.name,
        "status": referral.status,
        "overdue": referral.is_overdue(timezone.localdate()),
        "kelurahan": referral.kelurahan.code,
        "kecamatan": referral.kecamatan.code,
        "name": visibility_for(request.user, case).name(case.subject_label),
        "category": case.category.code if case.category is not None else None,
        "reason": referral.reason,
        "sent_at": referral.sent_at,
        "answer_due": referral.answer_due,
        "decided_at": referral.decided_at,
        "completed_on": referral.completed_on,
    }


def _shown(request, referral: Referral) -> dict[str, Any]:
    """The referral with its history, logged as shown (it names a person)."""
    log_one(request, referral, unmasked=False)
    events = referral.events.select_related("actor")
    return {
        **_out(request, referral),
        "contact_name": referral.contact_name,
        "contact_phone": referral.contact_phone,
        "sent_by": referral.sent_by.username,
        "decline_reason": referral.decline_reason,
        "outcome": referral.outcome,
        "events": [history_row(e, note=e.note) for e in events],
    }


@agencies.get("/", response=list[AgencyOut])
@paginate(Page)
def list_agencies(request):
    """OPD tujuan rujukan yang aktif: ``code`` (mis. ``dinkes``) dan ``name``."""
    return selectors.active_agencies()


@router.get("/", response=list[ReferralOut])
@paginate(Page)
def list_referrals(request, filters: Query[ReferralFilterIn]):
    """Rujukan yang boleh dilihat: OPD hanya yang ditujukan ke instansinya; PSM/TKSK wilayahnya; Dinsos sekota.
    Filter: ``status``, ``agency`` (kode), ``kecamatan`` (kode), ``overdue=1``."""
    require(request.user, Perm.REFERRAL_VIEW)
    qs = selectors.referral_list(request.user, selectors.ReferralFilter(**filters.dict()))
    return LoggedPage(request, qs, _out, unmasked=False)


@router.get("/counts", response=CountsOut)
def count_referrals(request):
    """Jumlah rujukan per OPD dan status, per kecamatan dan per kelurahan (dalam cakupan pengguna)."""
    require(request.user, Perm.REFERRAL_VIEW)
    user = request.user

    def rows(*fields: str) -> list[dict[str, Any]]:
        keys = {"agency__code": "agency", "kecamatan__code": "kecamatan", "kelurahan__code": "kelurahan"}
        return [{keys.get(k, k): v for k, v in row.items()} for row in selectors.counts_by(user, *fields)]

    return {
        "by_agency": rows("agency__code"),
        "by_kecamatan": rows("kecamatan__code", "agency__code"),
        "by_kelurahan": rows("kelurahan__code", "agency__code"),
        "overdue": Referral.objects.visible_to(user).overdue().count(),
    }


@router.get("/{int:referral_id}", response=ReferralDetailOut)
def get_referral(request, referral_id: int):
    """Satu rujukan dengan riwayatnya (``events``)."""
    return _shown(request, selectors.get_referral_for_user(request.user, referral_id))


CREATE_BODY = form_body(
    CreateForm,
    {
        "case": {"type": "integer", "description": "id kasus (/api/v1/cases/)"},
        "agency": {"type": "string", "description": "kode OPD, lihat /api/v1/agencies/"},
    },
)


@router.post("/", response={201: ReferralDetailOut}, openapi_extra=CREATE_BODY)
def create_referral(request, payload: Body[dict[str, Any]]):
    """Rujuk kasus ke OPD. Satu rujukan terbuka per kasus dan OPD; OPD diberi tahu."""
    require(request.user, Perm.REFERRAL_SEND)
    form = valid_form(CreateForm, payload)
    data = form.cleaned_data
    case = selectors.case_for_sending(request.user, data.pop("case"))  # 404 outside the user's area
    referral = services.referral_send(case=case, actor=request.user, **data)
    return Status(201, _shown(request, selectors.get_referral_for_user(request.user, referral.pk)))


# accept, decline, process, complete: one endpoint per step of the declaration.
step_routes(
    router,
    REFERRAL,
    id_param="referral_id",
    path_id="int:referral_id",
    noun="referral",
    load=selectors.get_referral_for_user,
    detail=_shown,
    response=ReferralDetailOut,
    module=__name__,
)
