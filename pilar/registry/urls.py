from django.urls import path

from pilar.core.workflow_views import step_urls
from pilar.registry import (
    conflict_views,
    correction_views,
    evidence_views,
    export_views,
    import_views,
    request_views,
    selectors,
    views,
)
from pilar.registry.workflow import CONFLICT, IMPORT, PPKS

app_name = "registry"
urlpatterns = [
    path("", views.ppks_list, name="ppks_list"),
    path("ekspor/", export_views.ppks_export, name="ppks_export"),
    path("ekspor/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("ekspor/<int:pk>/berkas/", export_views.export_file, name="export_file"),
    path("impor/", import_views.import_list, name="import_list"),
    path("impor/templat/", import_views.import_template, name="import_template"),
    path("impor/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("impor/<int:pk>/kesalahan/", import_views.import_errors, name="import_errors"),
    # coba-lagi/: the import's one step; konflik/<pk>/orang-sama/ and orang-lain/: a conflict's two.
    *step_urls(
        IMPORT,
        load=import_views.get_import_for_user,
        page=import_views.detail_page,
        prefix="impor/",
        name_prefix="import_",
    ),
    *step_urls(
        CONFLICT,
        load=conflict_views.get_conflict_for_user,
        page=conflict_views.conflict_page,
        prefix="impor/konflik/",
        name_prefix="conflict_",
    ),
    path("impor/<int:pk>/pemetaan/", import_views.import_mapping, name="import_mapping"),
    path("impor/<int:pk>/konflik/", conflict_views.conflict_list, name="import_conflicts"),
    path("usul/", views.ppks_propose, name="ppks_propose"),
    path("orang/<int:pk>/", views.person_detail, name="person_detail"),
    path("permintaan/", request_views.request_list, name="request_list"),
    path("permintaan/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/pindahkan/", request_views.request_move, name="request_move"),
    path("permintaan/<int:pk>/tolak/", request_views.request_refuse, name="request_refuse"),
    path("orang/<int:pk>/ubah/", correction_views.person_edit, name="person_edit"),
    path("orang/<int:pk>/pindah-kk/", correction_views.person_move, name="person_move"),
    path("kk/<int:pk>/", correction_views.household_detail, name="household_detail"),
    path("kk/<int:pk>/ganti-nomor/", correction_views.household_change_kk, name="household_change_kk"),
    path("<int:pk>/", views.ppks_detail, name="ppks_detail"),
    # verifikasi/, tetapkan/, ajukan-ulang/, keluarkan/, kembalikan/, tolak/: one per step of the declaration.
    *step_urls(PPKS, load=selectors.get_ppks_for_user, page=views.detail_page, name_prefix="ppks_"),
    path("<int:pk>/bukti/", evidence_views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/bukti/<int:evidence_pk>/", evidence_views.evidence_download, name="evidence_download"),
]
