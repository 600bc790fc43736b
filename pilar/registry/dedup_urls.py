"""URLs of the duplicate review (``registri/duplikat/``); the data-quality page is ``pilar.reports.quality_views``."""

from django.urls import path

from pilar.registry import dedup_views

app_name = "registry_dedup"
urlpatterns = [
    path("", dedup_views.candidate_list, name="list"),
    path("<int:pk>/", dedup_views.candidate_detail, name="detail"),
    path("<int:pk>/gabungkan/", dedup_views.candidate_merge, name="merge"),
    path("<int:pk>/bukan-duplikat/", dedup_views.candidate_distinct, name="distinct"),
]
