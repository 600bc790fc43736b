from django.urls import path

from pilar.workers import roster_views, views

app_name = "workers"
urlpatterns = [
    path("", views.worker_list, name="list"),
    path("ekspor/", views.worker_export, name="export"),
    path("baru/", views.worker_create, name="create"),
    path("impor/", roster_views.roster_upload, name="roster"),
    path("cakupan/", views.coverage, name="coverage"),
    path("ipsm/", views.board, name="board"),
    path("ipsm/periode/", views.board_period_create, name="board_period_create"),
    path("ipsm/<int:period_pk>/pengurus/", views.board_member_set, name="board_member_set"),
    path("ipsm/pengurus/<int:pk>/hapus/", views.board_member_remove, name="board_member_remove"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/ubah/", views.worker_edit, name="edit"),
    path("<int:pk>/status/", views.worker_status, name="status"),
    path("<int:pk>/mutasi/", views.worker_transfer, name="transfer"),
    path("<int:pk>/sk/", views.worker_decree, name="decree"),
]
