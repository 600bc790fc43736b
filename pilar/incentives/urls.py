from django.urls import path

from pilar.incentives import policy_views, views

app_name = "incentives"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/setujui/", views.run_approve, name="run_approve"),
    path("<int:pk>/hapus/", views.run_discard, name="run_discard"),
    path("<int:pk>/unduh.<str:fmt>", views.run_export, name="run_export"),
    path("saya/", views.my_incentives, name="mine"),
    path("slip/<int:pk>/", views.payslip, name="payslip"),
    path("tarif/", policy_views.rates, name="rates"),
    path("koreksi/", policy_views.adjustments, name="adjustments"),
    path("anggaran/", policy_views.budget, name="budget"),
]
