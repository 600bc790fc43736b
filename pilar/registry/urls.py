from django.urls import path

from pilar.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.ppks_list, name="ppks_list"),
    path("usul/", views.ppks_propose, name="ppks_propose"),
    path("orang/<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/", views.ppks_detail, name="ppks_detail"),
    path("<int:pk>/verifikasi/", views.ppks_verify, name="ppks_verify"),
    path("<int:pk>/tetapkan/", views.ppks_validate, name="ppks_validate"),
    path("<int:pk>/kembalikan/", views.ppks_return, name="ppks_return"),
    path("<int:pk>/ajukan-ulang/", views.ppks_resubmit, name="ppks_resubmit"),
    path("<int:pk>/tolak/", views.ppks_reject, name="ppks_reject"),
    path("<int:pk>/keluarkan/", views.ppks_exit, name="ppks_exit"),
]
