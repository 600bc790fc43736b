from django.contrib import admin
from django.urls import include, path

from pilar.accounts import manage_urls
from pilar.api.api import api
from pilar.ops import views as ops_views
from pilar.regions import views as region_views
from pilar.reports import dashboard_views, quality_views
from pilar.reports import views as report_views
from pilar.workers.account_views import workforce_issue

# The Admin Dinsos' account pages, and the issuing of the workforce's accounts under the same namespace.
account_pages = [*manage_urls.urlpatterns, path("pekerja/", workforce_issue, name="workforce_issue")]

urlpatterns = [
    path("", report_views.home, name="home"),
    path("dasbor/", dashboard_views.dashboard, name="dashboard"),
    path("laporan/", include("pilar.reports.urls")),
    path("", include("pilar.field.urls")),
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("akun/pengguna/", include((account_pages, "accounts"))),
    path("akun/", include("pilar.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wilayah/", include("pilar.regions.urls")),
    path("pekerja/", include("pilar.workers.urls")),
    path("registri/duplikat/", include("pilar.registry.dedup_urls")),
    path("registri/mutu/", include((quality_views.urlpatterns, "registry_quality"))),
    path("registri/", include("pilar.registry.urls")),
    path("notifikasi/", include("pilar.notifications.urls")),
    path("kasus/", include("pilar.cases.urls")),
    path("rujukan/", include("pilar.referrals.urls")),
    path("pengaduan/", include("pilar.complaints.urls")),
    path("program/", include("pilar.programs.urls")),
    path("pelatihan/", include("pilar.trainings.urls")),
    path("kegiatan/", include("pilar.activities.urls")),
    path("insentif/", include("pilar.incentives.urls")),
    path("hak-subjek/", include("pilar.rights.urls")),
    path("operasi/", include("pilar.ops.urls")),
    path("pengaturan/kantor/", region_views.office_settings, name="office_settings"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "pilar.core.error_pages.bad_request"
handler403 = "pilar.core.error_pages.forbidden"
handler404 = "pilar.core.error_pages.not_found"
handler500 = "pilar.core.error_pages.server_error"
