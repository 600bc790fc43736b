"""Bedah Rumah pages: the houses and the progress towards no RTLH left, the assessment form, the house page with
its photos and the renovation form, and the reach report of every program."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilar.accounts.permissions import Perm, can, require, signed_in
from pilar.audit.models import PersonalDataAccess
from pilar.audit.services import log_personal_access
from pilar.core.forms import perform
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.core.uploads import serve_upload
from pilar.programs import house, selectors, services
from pilar.programs.forms import HouseAssessForm, RenovateForm
from pilar.programs.models import HouseAssessment, HousePhoto, Program, ProgramPeriod
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan

PAGE = PersonalDataAccess.Channel.PAGE


@login_required
@require_GET
def house_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.ENROLLMENT_VIEW)
    houses = HouseAssessment.objects.visible_to(request.user).listing().order_by("-id")
    status = request.GET.get("status", "")
    if status in HouseAssessment.Status.values:
        houses = houses.filter(status=status)
    page = paginate(request, houses, 25)
    log_personal_access(request, channel=PAGE, model=HouseAssessment, count=len(page.object_list))
    context = {
        "page": page,
        "page_range": page_links(page),
        "progress": selectors.rtlh_progress(request.user),
        "statuses": HouseAssessment.Status.choices,
        "status": status,
        # The goal names the kota/kabupaten this installation serves, never a fixed city.
        "city": Region.objects.filter(code=settings.PILAR_REGION).first(),
    }
    return TemplateResponse(request, "programs/house_list.html", context)


def _assessed(assessment: HouseAssessment) -> str:
    verdict = _("tidak layak huni") if assessment.is_rtlh else _("layak huni")
    return _("Penilaian rumah tersimpan: rumah %(v)s.") % {"v": verdict}


@login_required
@require_http_methods(["GET", "POST"])
def house_assess(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = selectors.get_enrollment_for_user(request.user, pk, Perm.HOUSE_ASSESS)
    form = HouseAssessForm(request.POST or None, request.FILES or None)
    assessment = perform(
        request,
        form,
        lambda: services.house_assess(enrollment=enrollment, actor=signed_in(request), **form.service_kwargs()),
        _assessed,
        aliases={"checklist": "__all__", "photos": "photo_1"},
    )
    if assessment:
        return redirect(assessment)
    log_personal_access(request, channel=PAGE, obj=enrollment)
    context = {
        "enrollment": enrollment,
        "subject_name": selectors.shown_subject_name(request.user, enrollment),
        "form": form,
    }
    return TemplateResponse(request, "programs/house_assess.html", context, status=400 if form.errors else 200)


def _house_page(request: HttpRequest, assessment: HouseAssessment, form: RenovateForm | None = None):
    log_personal_access(request, channel=PAGE, obj=assessment)
    enrollment = assessment.enrollment
    may_renovate = assessment.status == HouseAssessment.Status.APPROVED and can(
        request.user, Perm.ENROLLMENT_DELIVER, assessment
    )
    verdict = house.judge(assessment.checklist, floor_area=assessment.floor_area, occupants=assessment.occupants)
    context = {
        "h": assessment,
        "enrollment": enrollment,
        "subject_name": selectors.shown_subject_name(request.user, enrollment),
        "rows": [
            (label, house.CONDITIONS[assessment.checklist[key]], assessment.checklist[key])
            for key, label in house.COMPONENTS.items()
        ],
        "reasons": verdict.reasons,
        "photos": assessment.photos.all(),
        "form": form or (RenovateForm() if may_renovate else None),
    }
    return TemplateResponse(request, "programs/house_detail.html", context, status=400 if form else 200)


@login_required
@require_GET
def house_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _house_page(request, selectors.get_house_for_user(request.user, pk))


@login_required
@require_POST
def house_renovate(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_house_for_user(request.user, pk)
    require(request.user, Perm.ENROLLMENT_DELIVER, assessment)
    form = RenovateForm(request.POST, request.FILES)
    if perform(
        request,
        form,
        lambda: services.house_renovate(assessment=assessment, actor=signed_in(request), **form.service_kwargs()),
        _("Renovasi selesai tercatat; rumah keluar dari daftar RTLH."),
        aliases={"photos": "photo_1"},
    ):
        return redirect(assessment)
    return _house_page(request, assessment, form)


@login_required
@require_GET
def house_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, only for those who may see its house (files are not served from a public folder)."""
    houses = HouseAssessment.objects.visible_to(request.user)
    photo = get_object_or_404(HousePhoto.objects.filter(assessment__in=houses), pk=pk)
    log_personal_access(request, channel=PAGE, obj=photo.assessment)
    return serve_upload(photo.file.open("rb"), photo.content_type, f"rumah-{photo.pk}")


@login_required
@require_GET
def reach(request: HttpRequest) -> HttpResponse:
    """Beneficiaries by program and period, per kecamatan, or per kelurahan of one kecamatan."""
    require(request.user, Perm.ENROLLMENT_VIEW)
    params = {k: request.GET.get(k, "").strip() for k in ("program", "period", "kecamatan")}
    rows = selectors.reach(request.user, **params)
    totals = {k: sum(r[k] for r in rows) for k in ("proposed", "beneficiaries", "delivered", "rejected", "exited")}
    context = {
        "rows": rows,
        "totals": totals,
        "filters": params,
        "programs": Program.objects.order_by("name"),
        "periods": ProgramPeriod.objects.order_by("-key").values_list("key", flat=True).distinct(),
        "kecamatan_options": city_kecamatan(),
    }
    return TemplateResponse(request, "programs/reach.html", context)
