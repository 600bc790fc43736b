from django.urls import path

from pilar.activities import recap_views, selectors, views
from pilar.activities.workflow import REPORT, ROADSHOW
from pilar.core.workflow_views import step_urls

app_name = "activities"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("baru/", views.report_create, name="create"),
    path("rekap/", recap_views.recap_page, name="recap"),
    path("rekap/cetak/", recap_views.recap_print, name="recap_print"),
    path("rekap/xlsx/", recap_views.recap_xlsx, name="recap_xlsx"),
    path("roadshow/", recap_views.roadshow, name="roadshow"),
    path("roadshow/rencana/", recap_views.roadshow_plan, name="roadshow_plan"),
    # roadshow/<pk>/selesai/, roadshow/<pk>/batal/: one per step of the declaration.
    *step_urls(
        ROADSHOW,
        load=selectors.get_roadshow_for_user,
        page=recap_views.roadshow_page,
        prefix="roadshow/",
        name_prefix="roadshow_",
    ),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/ubah/", views.report_edit, name="edit"),
    path("<int:pk>/kunjungan/", views.visit_add, name="visit_add"),
    path("<int:pk>/kunjungan/<int:visit_id>/hapus/", views.visit_remove, name="visit_remove"),
    path("<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("<int:pk>/foto/<int:photo_id>/", views.photo_file, name="photo"),
    path("<int:pk>/foto/<int:photo_id>/hapus/", views.photo_remove, name="photo_remove"),
    # ajukan/, terima/, kembalikan/: one per step of the declaration.
    *step_urls(REPORT, load=selectors.get_report_for_user, page=views.detail_page),
]
