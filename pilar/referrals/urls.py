from django.urls import path

from pilar.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("statistik/", views.referral_stats, name="stats"),
    path("kirim/<int:case_id>/", views.referral_send, name="send"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/terima/", views.referral_accept, name="accept"),
    path("<int:pk>/tolak/", views.referral_decline, name="decline"),
    path("<int:pk>/proses/", views.referral_process, name="process"),
    path("<int:pk>/selesai/", views.referral_complete, name="complete"),
]
