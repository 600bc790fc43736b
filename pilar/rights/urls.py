from django.urls import path

from pilar.rights import views

app_name = "rights"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("baru/", views.request_create, name="create"),
    path("ropa/", views.ropa, name="ropa"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.request_action, name="action"),
    path("orang/<int:person_id>/ekspor.<str:fmt>", views.person_download, name="export"),
]
