from django.urls import path

from pilar.core.workflow_views import step_urls
from pilar.trainings import attendance_views, report_views, selectors, views
from pilar.trainings.workflow import PARTICIPANT

app_name = "trainings"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/undang/", views.event_invite, name="invite"),
    path("<int:pk>/sesi/", views.session_add, name="session_add"),
    path("<int:pk>/materi/", views.material_add, name="material_add"),
    path("materi/<int:pk>/", views.material_download, name="material"),
    path("sesi/<int:pk>/presensi/", attendance_views.session_attendance, name="attendance"),
    path("sesi/<int:pk>/presensi/simpan/", attendance_views.session_mark, name="attendance_mark"),
    path("sesi/<int:pk>/presensi/centang/", attendance_views.session_toggle, name="attendance_toggle"),
    path("sesi/<int:pk>/layar/", attendance_views.session_screen, name="screen"),
    path("hadir/", attendance_views.check_in, name="checkin"),
    path("hadir/<str:token>/", attendance_views.check_in_qr, name="checkin_qr"),
    path("saya/", attendance_views.mine, name="mine"),
    # peserta/<pk>/jawab/ (respond): the step of the declaration.
    *step_urls(
        PARTICIPANT, load=selectors.get_participant_for_user, page=attendance_views.mine_page, prefix="peserta/"
    ),
    path("peserta/<int:pk>/sertifikat.pdf", attendance_views.certificate_pdf, name="certificate"),
    path("sertifikat/", report_views.verify_lookup, name="verify_lookup"),
    path("sertifikat/<str:code>/", report_views.verify, name="verify"),
    path("rekap/", report_views.recap, name="recap"),
    path("belum-pelatihan-dasar/", report_views.untrained, name="untrained"),
    path("pekerja/<int:worker_pk>/", report_views.worker_history, name="worker_history"),
]
