from django.urls import path

from pilar.reports import archive_views

app_name = "reports"
urlpatterns = [
    path("", archive_views.archive, name="archive"),
    path("<int:pk>/<str:fmt>/", archive_views.download, name="file"),
]
