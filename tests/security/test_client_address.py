"""The client's address behind reverse proxies: believed only as far as Pilar's own proxies wrote it.

Sign-in lockout and throttle, the complaint limit and the audit trail all count the same address, so a
resident behind the office's nginx is one client among many, not the proxy, and no client can pick the
address it is counted under by writing an X-Forwarded-For header itself.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.core.net import client_address, client_ip, parse_proxies
from tests.conftest import PASSWORD

NGINX = "127.0.0.1"
LOGIN = reverse("login")


def address(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.PILAR_TRUSTED_PROXIES = ""
    assert address("203.0.113.7", "10.0.0.1") == "203.0.113.7"


def test_a_connection_from_a_trusted_proxy_gives_the_address_the_proxy_appended(settings):
    settings.PILAR_TRUSTED_PROXIES = "127.0.0.1,::1"
    assert address(NGINX, "203.0.113.7") == "203.0.113.7"
    assert address("::1", "203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_wrote_in_front_of_the_proxy_hop_are_ignored(settings):
    settings.PILAR_TRUSTED_PROXIES = NGINX
    assert address(NGINX, "1.2.3.4, 10.0.0.1, 203.0.113.7") == "203.0.113.7"


def test_a_connection_that_bypasses_the_proxy_cannot_choose_its_address(settings):
    settings.PILAR_TRUSTED_PROXIES = NGINX
    assert address("198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_a_chain_of_trusted_proxies_is_walked_to_the_right_most_untrusted_hop(settings):
    # A load balancer (10.0.0.2) in front of nginx (127.0.0.1): both are ours; whatever is left of them is not.
    settings.PILAR_TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/24"
    assert address(NGINX, "6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert address(NGINX, "10.0.0.9, 10.0.0.2") == "10.0.0.9"  # an office machine in the proxies' own network


def test_ports_and_mapped_addresses_are_read_as_proxies_write_them(settings):
    settings.PILAR_TRUSTED_PROXIES = NGINX
    assert address(NGINX, "203.0.113.7:51234") == "203.0.113.7"
    assert address(NGINX, "[2001:db8::5]:443") == "2001:db8::5"
    assert address("::ffff:127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_garbage_in_the_header_counts_the_request_under_the_proxy_that_passed_it_on(settings):
    settings.PILAR_TRUSTED_PROXIES = NGINX
    assert address(NGINX, "unknown") == NGINX
    assert address(NGINX, "") == NGINX
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


@pytest.mark.parametrize("value", ["1", "2", "pilar.lan", "10.0.0.0/33"])
def test_a_setting_that_is_not_a_list_of_addresses_stops_pilar_with_a_message(value):
    with pytest.raises(ImproperlyConfigured, match="PILAR_TRUSTED_PROXIES"):
        parse_proxies(value)


def test_no_proxies_may_be_written_as_zero_or_nothing():
    assert parse_proxies("0") == () and parse_proxies("") == ()


def test_guessing_from_behind_the_proxy_locks_the_guesser_not_the_office(settings, operator):
    settings.PILAR_TRUSTED_PROXIES = NGINX
    guesser = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.9")
    office = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="10.20.0.5")
    for _ in range(5):
        guesser.post(LOGIN, {"username": "operator", "password": "salah-sandi-123"})
    assert guesser.post(LOGIN, {"username": "operator", "password": PASSWORD}).status_code == 429
    # Writing the office's address in front of its own does not borrow the office's standing.
    forged = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="10.20.0.5, 203.0.113.9")
    assert forged.post(LOGIN, {"username": "operator", "password": PASSWORD}).status_code == 429
    assert office.post(LOGIN, {"username": "operator", "password": PASSWORD}).status_code == 302
    failed = AuditEntry.objects.filter(action="accounts.login_failed").latest("seq")
    assert failed.data["ip"] == "203.0.113.9"


def test_personal_data_access_records_the_client_behind_the_proxy(settings, client, operator, city):
    from tests.factories import PersonFactory

    settings.PILAR_TRUSTED_PROXIES = NGINX
    person = PersonFactory()
    client.force_login(operator)
    answer = client.get(f"/registri/orang/{person.pk}/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="10.20.0.7")
    assert answer.status_code == 200
    assert PersonalDataAccess.objects.latest("seq").ip_address == "10.20.0.7"
