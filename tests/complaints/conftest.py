"""Complaint test helpers: a resident's form data, complaints placed in a kelurahan, API clients."""

import time
from typing import Any

import pytest
from django.test import Client

from pilar.accounts.models import ApiToken
from pilar.complaints import guard
from pilar.complaints.models import Complaint
from pilar.complaints.services import new_tracking_code
from pilar.regions.models import Region
from pilar.registry.models import Category
from tests.conftest import KEC_A, KEL_A


def resident_data(**overrides: Any) -> dict[str, Any]:
    """What a resident types on the public page, with a form served a minute ago."""
    return {
        "subject_name": "Mbah Sarinah",
        "subject_age": "78",
        "subject_sex": "P",
        "kecamatan": KEC_A,
        "kelurahan": KEL_A,
        "address": "Jl. Merdeka gang 3, dekat musala Al-Ikhlas",
        "rt": "3",
        "rw": "4",
        "category": "",
        "description": "Nenek tinggal sendirian, sering tidak makan dan rumahnya bocor saat hujan.",
        "reporter_name": "Budi",
        "reporter_phone": "0812-3456-7890",
        "homepage": "",
        "form_token": guard.form_token(issued_at=time.time() - 60),
    } | overrides


def api_payload(**overrides: Any) -> dict[str, Any]:
    """What an app sends to ``POST /api/v1/complaints/``: the page's fields, a token taken a minute ago, no photo."""
    data = resident_data(**overrides)
    if "homepage" not in overrides:
        data.pop("homepage")
    return data


def make_complaint(kelurahan: str = KEL_A, **fields: Any) -> Complaint:
    village = Region.objects.get(code=kelurahan)
    defaults = {
        "subject_name": "Pak Darsono",
        "subject_age": 70,
        "address": "Jl. Kenanga 12",
        "description": "Lansia sakit, tidak ada keluarga yang merawat.",
        "reporter_name": "Warga",
        "reporter_phone": "+6281234567890",
    }
    return Complaint.objects.create(
        tracking_code=new_tracking_code(), kelurahan=village, kecamatan=village.parent, **(defaults | fields)
    )


@pytest.fixture
def elderly_category(city) -> Category:
    # PPKS "Lanjut Usia Terlantar" is what most complaints turn out to be.
    return Category.objects.get(code="PPKS-08")


@pytest.fixture
def api_as():
    """A test client that sends a Bearer token for ``user`` (None: no token at all)."""

    def make(user):
        if user is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})

    return make


__all__ = ["KEC_A", "KEL_A", "api_payload", "make_complaint", "resident_data"]
