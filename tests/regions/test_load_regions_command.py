"""``pilar load-regions`` (the ``load_regions`` management command)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pilar.regions.models import Region


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_regions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_loads_the_configured_city_and_prints_an_indonesian_summary(settings):
    settings.PILAR_REGION = "36.71"

    assert run().strip() == (
        "Kota Tangerang (36.71): 13 kecamatan, 104 kelurahan, 0 desa dimuat (119 dibuat, 0 diubah)."
    )
    assert Region.objects.villages().within("36.71").count() == 104


@pytest.mark.django_db
def test_running_the_command_again_reports_nothing_created_or_changed():
    run("--region", "36.71")

    assert run("--region", "3671").strip().endswith("(0 dibuat, 0 diubah).")


@pytest.mark.django_db
def test_the_region_option_loads_another_kabupaten_with_its_desa():
    output = run("--region", "36.03")

    assert output.startswith("Kabupaten Tangerang (36.03): ")
    assert Region.objects.within("36.03").filter(level=Region.Level.DESA).exists()


@pytest.mark.django_db
def test_an_unknown_code_fails_with_the_indonesian_message():
    with pytest.raises(CommandError, match=r"^Kode kabupaten/kota 36\.99 tidak ditemukan dalam data Kemendagri\.$"):
        run("--region", "36.99")

    assert not Region.objects.exists()
