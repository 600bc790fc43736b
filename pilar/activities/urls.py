from django.urls import path

from pilar.activities import recap_views, views

app_name = "activities"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("baru/", views.report_create, name="create"),
    path("rekap/", recap_views.recap_page, name="recap"),
    path("rekap/cetak/", recap_views.recap_print, name="recap_print"),
    path("rekap/xlsx/", recap_views.recap_xlsx, name="recap_xlsx"),
    path("roadshow/", recap_views.roadshow, name="roadshow"),
    path("roadshow/rencana/", recap_views.roadshow_plan, name="roadshow_plan"),
    path("roadshow/<int:pk>/selesai/", recap_views.roadshow_done, name="roadshow_done"),
    path("roadshow/<int:pk>/batal/", recap_views.roadshow_cancel, name="roadshow_cancel"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/ubah/", views.report_edit, name="edit"),
    path("<int:pk>/kunjungan/", views.visit_add, name="visit_add"),
    path("<int:pk>/kunjungan/<int:visit_id>/hapus/", views.visit_remove, name="visit_remove"),
    path("<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("<int:pk>/foto/<int:photo_id>/", views.photo_file, name="photo"),
    path("<int:pk>/foto/<int:photo_id>/hapus/", views.photo_remove, name="photo_remove"),
    path("<int:pk>/ajukan/", views.report_submit, name="submit"),
    path("<int:pk>/terima/", views.report_accept, name="accept"),
    path("<int:pk>/kembalikan/", views.report_return, name="return"),
]
