"""The client address for rate limits and the audit log: X-Forwarded-For is believed
only as far as DJANGO_TRUSTED_PROXY_COUNT says proxies in front append to it."""

from django.test import RequestFactory

from portal.shared.ratelimit import client_ip


def _request(forwarded=None):
    headers = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    """A client cannot pick its own address (and so dodge the limits) by sending the
    header itself."""
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"


def test_with_one_trusted_proxy_the_last_address_is_the_client(settings):
    """The proxy appends the address it saw; anything before it came from the client."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_with_two_trusted_proxies_the_second_last_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"
    assert client_ip(_request()) == "10.0.0.2"
