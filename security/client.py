"""The client's address: the one function everything that needs it calls.

Behind nginx every connection comes from the proxy, so REMOTE_ADDR alone
made every reader 127.0.0.1 (five bad passwords from anyone locked out all
staff). X-Forwarded-For is trusted only when BEHIND_TLS_PROXY is on, and
only from a trusted proxy: the address connecting (REMOTE_ADDR) must be in
TRUSTED_PROXIES when that list is set. The header is then read from the
right, where each proxy appended the address it saw, skipping the trusted
proxies; anything a client wrote on the left is never reached, so it cannot
pretend to be someone else. Without TRUSTED_PROXIES one proxy is assumed and
only its own (rightmost) entry counts.
"""

import ipaddress

from django.conf import settings


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The address of the client that sent request, as a string."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_TLS_PROXY:
        return remote
    networks = settings.TRUSTED_PROXIES
    if networks and not _trusted(_address(remote), networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _trusted(address, networks):
            return str(address)
        # A trusted proxy further in front: look one step further left.
    return remote
