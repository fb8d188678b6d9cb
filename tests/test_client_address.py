"""The client's address, behind a proxy and not (security/client.py)."""

import ipaddress
import logging

import pytest
from django.test import RequestFactory

from security.client import client_ip


def request(remote="127.0.0.1", forwarded=None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def networks(*items):
    return [ipaddress.ip_network(item) for item in items]


@pytest.mark.parametrize(
    "behind, trusted, remote, forwarded, expected",
    [
        # No proxy configured: the header is anyone's to write.
        (False, [], "203.0.113.7", "10.9.9.9", "203.0.113.7"),
        # One proxy: only the entry it appended counts, not what came before.
        (True, [], "127.0.0.1", "198.51.100.4", "198.51.100.4"),
        (True, [], "127.0.0.1", "10.9.9.9, 198.51.100.4", "198.51.100.4"),
        (True, [], "127.0.0.1", None, "127.0.0.1"),
        (True, [], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (True, [], "127.0.0.1", "", "127.0.0.1"),
        # Trusted proxies: a direct client's header is ignored...
        (True, ["10.0.0.0/8"], "203.0.113.7", "10.9.9.9", "203.0.113.7"),
        # ...and a chain of trusted proxies is walked from the right.
        (
            True,
            ["10.0.0.0/8"],
            "10.0.0.2",
            "1.2.3.4, 198.51.100.4, 10.0.0.3",
            "198.51.100.4",
        ),
        (True, ["10.0.0.0/8", "::1/128"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip(settings, behind, trusted, remote, forwarded, expected):
    settings.BEHIND_TLS_PROXY = behind
    settings.TRUSTED_PROXIES = networks(*trusted)
    assert client_ip(request(remote, forwarded)) == expected


def test_django_axes_reads_the_address_through_client_ip(settings):
    from axes.helpers import get_client_ip_address

    settings.BEHIND_TLS_PROXY = True
    assert get_client_ip_address(request("127.0.0.1", "198.51.100.4")) == (
        "198.51.100.4"
    )


def test_csp_reports_are_logged_with_the_client_address(client, settings, caplog):
    settings.BEHIND_TLS_PROXY = True
    with caplog.at_level(logging.WARNING, logger="newsroom.csp"):
        client.post(
            "/csp-report/",
            '{"csp-report": {"violated-directive": "script-src"}}',
            content_type="application/csp-report",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )
    assert "198.51.100.4" in caplog.text
