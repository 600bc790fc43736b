from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.regions.forms import OfficeForm
from pilar.regions.models import Region
from pilar.regions.office import OFFICE_FIELDS, current_office, office_update


@login_required
def village_options(request):
    """The <option>s of a kecamatan's kelurahan, for the dependent select (htmx)."""
    code = request.GET.get("kecamatan", "")
    villages = Region.objects.none()
    if code.startswith(settings.PILAR_REGION + "."):
        villages = Region.objects.villages().filter(parent__code=code)
    return TemplateResponse(
        request,
        "regions/village_options.html",
        {
            "villages": villages,
            "selected": request.GET.get("kelurahan", ""),
            "blank": request.GET.get("blank", "1"),
        },
    )


@login_required
def office_settings(request: HttpRequest) -> HttpResponse:
    """The Admin Dinsos's office settings: kop surat, logo, head of office, who signs which document."""
    require(request.user, Perm.OFFICE_MANAGE)
    office = current_office()
    form = OfficeForm(request.POST or None, request.FILES or None, instance=office)
    if request.method == "POST" and form.is_valid():
        office_update(
            actor=signed_in(request),
            values={f: form.cleaned_data[f] for f in OFFICE_FIELDS},
            logo=form.cleaned_data.get("logo"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
            signatories=form.signatories(),
        )
        messages.success(request, _("Pengaturan kantor disimpan. Dokumen PDF berikutnya memakai kop surat ini."))
        return redirect("office_settings")
    return TemplateResponse(request, "regions/office.html", {"form": form, "office": office})
