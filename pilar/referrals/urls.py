from django.urls import path

from pilar.core.workflow_views import step_urls
from pilar.referrals import selectors, views
from pilar.referrals.workflow import REFERRAL

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("statistik/", views.referral_stats, name="stats"),
    path("kirim/<int:case_id>/", views.referral_send, name="send"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    # terima/, tolak/, proses/, selesai/: one per step of the declaration.
    *step_urls(REFERRAL, load=selectors.get_referral_for_user, page=views.detail_page),
]
