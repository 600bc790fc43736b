from django.urls import path

from pilar.cases import views

app_name = "cases"
ACTION_SLUGS = {
    "assess": "asesmen",
    "plan": "rencana",
    "advance": "maju",
    "close": "tutup",
    "reopen": "buka-kembali",
    "assign": "tugaskan",
    "transfer": "serahkan",
    "link": "tautkan",
    "note": "catatan",
    "visit": "kunjungan",
    "document": "berkas",
}
urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_create, name="create"),
    path("terlambat/", views.overdue_overview, name="overdue"),
    path("rekap/", views.counts_overview, name="counts"),
    path("<int:pk>/", views.case_detail, name="detail"),
    *[path(f"<int:pk>/{slug}/", views.case_action, {"name": name}, name=name) for name, slug in ACTION_SLUGS.items()],
    path("rencana/<int:pk>/setujui/", views.plan_decide, {"decision": "approve"}, name="plan_approve"),
    path("rencana/<int:pk>/kembalikan/", views.plan_decide, {"decision": "return"}, name="plan_return"),
    path("serah-terima/<int:pk>/terima/", views.transfer_decide, {"decision": "accept"}, name="transfer_accept"),
    path("serah-terima/<int:pk>/tolak/", views.transfer_decide, {"decision": "decline"}, name="transfer_decline"),
    path("berkas/<int:pk>/", views.document_file, name="document_file"),
]
