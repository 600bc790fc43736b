from django.urls import path

from pilar.core.workflow_views import step_urls
from pilar.programs import house_views, selectors, views
from pilar.programs.workflow import ENROLLMENT

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("penerima/", views.enrollment_list, name="enrollment_list"),
    path("penerima/usul/", views.enrollment_propose, name="enrollment_propose"),
    path("penerima/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    # setujui/, tolak/, salurkan/, selesai/, keluarkan/: one per step of the declaration.
    *step_urls(
        ENROLLMENT,
        load=selectors.get_enrollment_for_user,
        page=views.detail_page,
        prefix="penerima/",
        name_prefix="enrollment_",
    ),
    path("penerima/<int:pk>/nilai-rumah/", house_views.house_assess, name="house_assess"),
    path("rtlh/", house_views.house_list, name="house_list"),
    path("rtlh/<int:pk>/", house_views.house_detail, name="house_detail"),
    path("rtlh/<int:pk>/renovasi/", house_views.house_renovate, name="house_renovate"),
    path("rtlh/foto/<int:pk>/", house_views.house_photo, name="house_photo"),
    path("jangkauan/", house_views.reach, name="reach"),
    path("<slug:code>/", views.program_detail, name="program_detail"),
    path("<slug:code>/cetak/", views.program_print, name="program_print"),
]
