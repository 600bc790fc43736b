"""The account pages of the Admin Dinsos (namespace ``accounts``); ``pilar.urls`` adds the workforce's own
(``accounts:workforce_issue``, served by ``workers``, which sits above accounts)."""

from django.urls import path

from pilar.accounts import pages

app_name = "accounts"
urlpatterns = [
    path("", pages.user_list, name="list"),
    path("baru/", pages.user_new, name="new"),
    path("<int:pk>/", pages.user_detail, name="detail"),
    path("<int:pk>/tindakan/", pages.user_action, name="action"),
    path("pekerja/surat.pdf", pages.workforce_letters, name="workforce_letters"),
]
