from django.urls import path

from pilar.cases import access, views
from pilar.cases.workflow import CASE, PLAN, TRANSFER
from pilar.core.workflow_views import step_urls

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_create, name="create"),
    path("terlambat/", views.overdue_overview, name="overdue"),
    path("rekap/", views.counts_overview, name="counts"),
    path("<int:pk>/", views.case_detail, name="detail"),
    # asesmen/, rencana/, maju/, …: one per step of the declarations.
    *step_urls(CASE, load=access.get_case_for_user, page=views.detail_page),
    *step_urls(PLAN, load=views.load_plan, page=views.plan_page, prefix="rencana/", name_prefix="plan_"),
    *step_urls(
        TRANSFER, load=views.load_transfer, page=views.transfer_page, prefix="serah-terima/", name_prefix="transfer_"
    ),
    path("berkas/<int:pk>/", views.document_file, name="document_file"),
]
