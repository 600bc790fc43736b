"""Staff passwords: at least 12 characters, and not guessable from the city, the office or the username."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "weak",
    [
        "Tangerang1",  # the review's example: the city and a digit
        "Tangerang2026!",  # long enough, still the city and a year
        "Sukarasa12345",  # a kelurahan of the city
        "operator2026!!",  # the username
        "Tx9#kQ2mLp",  # random but short: 10 characters
    ],
)
def test_weak_or_short_passwords_are_refused(operator, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, operator)


def test_a_long_uncommon_passphrase_is_accepted(operator):
    validate_password("Kembang-Sepatu-Merah-2031", operator)


def test_the_password_page_refuses_tangerang1_with_an_indonesian_message(client, operator):
    client.force_login(operator)
    data = {"old_password": PASSWORD, "new_password1": "Tangerang1", "new_password2": "Tangerang1"}
    body = client.post(reverse("password_change"), data).content.decode()
    assert "setidaknya 12 karakter" in body and "mudah ditebak" in body
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)
