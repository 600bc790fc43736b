"""URLs of the duplicate review (``registri/duplikat/``) and of the data-quality page (``registri/mutu/``)."""

from django.urls import path

from pilar.registry import dedup_views, quality_views

app_name = "registry_dedup"
urlpatterns = [
    path("", dedup_views.candidate_list, name="list"),
    path("<int:pk>/", dedup_views.candidate_detail, name="detail"),
    path("<int:pk>/gabungkan/", dedup_views.candidate_merge, name="merge"),
    path("<int:pk>/bukan-duplikat/", dedup_views.candidate_distinct, name="distinct"),
]

# Included separately under its own prefix and namespace: include((quality_patterns, "registry_quality")).
quality_patterns = [
    path("", quality_views.quality_page, name="page"),
]
