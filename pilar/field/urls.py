from django.urls import path

from pilar.field import views

app_name = "field"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("lapangan/", views.home, name="home"),
    path("lapangan/peta/<str:code>.json", views.kelurahan_map, name="kelurahan_map"),
]
