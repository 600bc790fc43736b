from django.urls import path

from pilar.core.workflow_views import step_urls
from pilar.incentives import policy_views, selectors, views
from pilar.incentives.workflow import PAYROLL

app_name = "incentives"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    # setujui/, hapus/: one per step of the declaration.
    *step_urls(PAYROLL, load=selectors.get_run_for_user, page=views.detail_page, name_prefix="run_"),
    path("<int:pk>/unduh.<str:fmt>", views.run_export, name="run_export"),
    path("saya/", views.my_incentives, name="mine"),
    path("slip/<int:pk>/", views.payslip, name="payslip"),
    path("tarif/", policy_views.rates, name="rates"),
    path("koreksi/", policy_views.adjustments, name="adjustments"),
    path("anggaran/", policy_views.budget, name="budget"),
]
