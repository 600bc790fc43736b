from django.urls import path

from pilar.regions import views

app_name = "regions"
urlpatterns = [
    path("kelurahan/", views.village_options, name="village_options"),
]
