from django.urls import path

from pilar.field import form_views, views

app_name = "field"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("lapangan/", views.home, name="home"),
    path("lapangan/peta/<str:code>.json", views.kelurahan_map, name="kelurahan_map"),
    path("lapangan/verifikasi/<int:pk>/", form_views.verval, name="verval"),
    path("lapangan/kasus/<int:pk>/kunjungan/", form_views.case_visit, name="case_visit"),
    path("lapangan/kasus/<int:pk>/catatan/", form_views.case_note, name="case_note"),
    path("lapangan/presensi/", form_views.check_in, name="check_in"),
    path("lapangan/pengaduan/", form_views.complaint_intake, name="complaint_intake"),
    path("lapangan/usul/", form_views.propose, name="propose"),
]
