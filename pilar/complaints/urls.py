from django.urls import path

from pilar.complaints import public_views, views

app_name = "complaints"
urlpatterns = [
    # Public, without login.
    path("baru/", public_views.submit, name="submit"),
    path("baru/kelurahan/", public_views.kelurahan_options, name="kelurahan_options"),
    path("terkirim/", public_views.submitted, name="submitted"),
    path("status/", public_views.status, name="status"),
    # Staff.
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/jadikan-kasus/", views.convert, name="convert"),
    path("<int:pk>/tutup/", views.close, name="close"),
    path("<int:pk>/foto/", views.photo, name="photo"),
]
