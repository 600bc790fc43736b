from django.urls import path

from pilar.complaints import public_views, selectors, views
from pilar.complaints.workflow import COMPLAINT
from pilar.core.workflow_views import step_urls

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
    # jadikan-kasus/, tutup/: one per step of the declaration.
    *step_urls(COMPLAINT, load=selectors.get_complaint_for_user, page=views.detail_page),
    path("<int:pk>/foto/", views.photo, name="photo"),
    path("<int:pk>/pelapor/", views.reporter, name="reporter"),
]
