from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pilar.referrals import services
from pilar.referrals.models import Referral

PAGES = [
    ("referrals:list", []),
    ("referrals:stats", []),
    ("referrals:detail", ["referral"]),
    ("referrals:send", ["case"]),
]


def url_of(name, args, referral):
    return reverse(name, args=[referral.pk if a == "referral" else referral.case_id for a in args])


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_needs_a_login(client, referral_a, name, args):
    response = client.get(url_of(name, args, referral_a))
    assert response.status_code == 302
    assert "/akun/" in response["Location"]


@pytest.mark.parametrize(("name", "args"), [p for p in PAGES if p[1]])
def test_a_psm_of_another_kelurahan_gets_404(client, referral_a, psm_b, name, args):
    client.force_login(psm_b)
    assert client.get(url_of(name, args, referral_a)).status_code == 404


def test_the_agency_inbox_lists_only_its_referrals(client, referral_a, case_b, psm_b, send, disnaker, opd_user):
    send(case_b, psm_b, to=disnaker, reason="Pelatihan kerja")
    client.force_login(opd_user)
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [referral_a.pk]
    assert "Rujukan masuk" in response.content.decode()


def test_the_list_costs_the_same_few_queries_for_many_referrals(
    client, make_case, psm_a, send, operator, django_assert_max_num_queries
):
    for i in range(12):
        send(make_case(psm_a, subject_name=f"Warga {i}"), psm_a)
    client.force_login(operator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("referrals:list"))
    assert len(response.context["page"]) == 12


def test_the_list_filters_overdue_referrals(client, referral_a, make_case, psm_a, send, operator):
    late = send(make_case(psm_a, subject_name="Terlambat"), psm_a)
    Referral.objects.filter(pk=late.pk).update(answer_due=timezone.localdate() - timedelta(days=2))
    client.force_login(operator)
    response = client.get(reverse("referrals:list"), {"overdue": "1"})
    assert [r.pk for r in response.context["page"]] == [late.pk]


def test_a_psm_sends_a_referral_from_the_case(client, case_a, psm_a, dinkes, opd_user):
    client.force_login(psm_a)
    url = reverse("referrals:send", args=[case_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"agency": "dinkes", "reason": "Pemeriksaan kesehatan", "contact_phone": "0812"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == referral.get_absolute_url()
    assert (referral.agency, referral.contact_phone, referral.sent_by) == (dinkes, "0812", psm_a)


def test_sending_without_reason_or_agency_explains_and_saves_nothing(client, case_a, psm_a, dinkes):
    client.force_login(psm_a)
    response = client.post(reverse("referrals:send", args=[case_a.pk]), {"agency": "tidak-ada", "reason": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["agency"] == ["OPD tujuan tidak dikenal."]
    assert "Alasan rujukan wajib diisi" in form.errors["reason"][0]
    assert not Referral.objects.exists()


def test_the_head_of_office_sees_the_case_but_may_not_refer_it(client, case_a, pimpinan):
    client.force_login(pimpinan)
    assert client.get(reverse("referrals:send", args=[case_a.pk])).status_code == 403


def test_an_agency_user_cannot_send_referrals(client, case_a, opd_user):
    client.force_login(opd_user)
    assert client.get(reverse("referrals:send", args=[case_a.pk])).status_code == 404  # the case is not theirs to see


def test_the_agency_answers_through_the_detail_page(client, referral_a, opd_user):
    client.force_login(opd_user)
    page = client.get(reverse("referrals:detail", args=[referral_a.pk]))
    assert set(page.context["forms"]) == {"accept", "decline"}
    assert client.post(reverse("referrals:accept", args=[referral_a.pk]), {"note": "Ok"}).status_code == 302
    assert set(client.get(referral_a.get_absolute_url()).context["forms"]) == {"process", "complete"}
    client.post(reverse("referrals:process", args=[referral_a.pk]), {})
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("referrals:complete", args=[referral_a.pk]), {"outcome": "Dirawat di puskesmas", "completed_on": today}
    )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert (referral_a.status, referral_a.outcome) == ("selesai", "Dirawat di puskesmas")


def test_declining_without_reason_shows_the_message_and_changes_nothing(client, referral_a, opd_user):
    client.force_login(opd_user)
    response = client.post(reverse("referrals:decline", args=[referral_a.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Alasan penolakan wajib diisi." in response.content.decode()
    assert Referral.objects.get(pk=referral_a.pk).status == "terkirim"


def test_answering_an_already_answered_referral_says_so(client, referral_a, opd_user, operator):
    services.referral_decline(referral=referral_a, actor=operator, reason="Salah tujuan")
    client.force_login(opd_user)
    response = client.post(reverse("referrals:accept", args=[referral_a.pk]), follow=True)
    assert "Hanya rujukan berstatus terkirim" in response.content.decode()
    assert Referral.objects.get(pk=referral_a.pk).status == "ditolak"


def test_the_stats_page_counts_per_agency_with_the_median_days(client, make_case, psm_a, send, opd_user, operator):
    done = []
    for days in (2, 4, 9):
        referral = send(make_case(psm_a, subject_name=f"Selesai {days}"), psm_a)
        services.referral_accept(referral=referral, actor=opd_user)
        Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=days))
        referral.refresh_from_db()
        done.append(
            services.referral_complete(
                referral=referral, actor=opd_user, outcome="ok", completed_on=timezone.localdate()
            )
        )
    declined = send(make_case(psm_a, subject_name="Ditolak"), psm_a)
    services.referral_decline(referral=declined, actor=opd_user, reason="bukan wewenang")
    late = send(make_case(psm_a, subject_name="Terlambat"), psm_a)
    Referral.objects.filter(pk=late.pk).update(answer_due=timezone.localdate() - timedelta(days=1))
    client.force_login(operator)
    [row] = client.get(reverse("referrals:stats")).context["rows"]
    assert (row.agency.code, row.sent, row.accepted, row.declined, row.completed, row.overdue) == (
        "dinkes",
        5,
        3,
        1,
        3,
        1,
    )
    assert row.median_days == 4


def test_an_agency_sees_only_its_own_row_in_the_stats(client, referral_a, case_b, psm_b, send, disnaker, opd_disnaker):
    send(case_b, psm_b, to=disnaker, reason="Pelatihan kerja")
    client.force_login(opd_disnaker)
    rows = client.get(reverse("referrals:stats")).context["rows"]
    assert [(row.agency.code, row.sent) for row in rows] == [("disnaker", 1)]
