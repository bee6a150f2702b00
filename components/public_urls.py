"""The URLs a browser is given, built from the hosts the resources report.

AWS reports public hosts, reached over HTTPS. An emulator on this machine (the
devstack) reports loopback hosts with a port, reached over plain HTTP: browsers treat
loopback as a secure context, and nothing there has a certificate. The managed login
is the one host AWS does not report: a prefix domain is served at
``<prefix>.auth.<region>.amazoncognito.com``; an emulator, with no DNS for that name,
serves the managed login where it serves the pool (its endpoint's origin).
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host_and_path: str) -> bool:
    """Whether ``host[:port][/path]`` names this machine."""
    return (urlsplit(f"//{host_and_path}").hostname or "") in LOOPBACK_HOSTS


def browser_url(host_and_path: str) -> str:
    """``https://`` + a public host (and path); ``http://`` + a loopback one."""
    scheme = "http" if is_loopback(host_and_path) else "https"
    return f"{scheme}://{host_and_path.rstrip('/')}"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    """``host[:port]`` of an absolute URL (what CloudFront calls an origin's domain name)."""
    return urlsplit(url).netloc or url.removeprefix("https://").removeprefix("http://").split("/")[0]


def managed_login_url(domain_prefix: str, region: str, pool_endpoint: str) -> str:
    """The base URL of a user pool's managed login (``/oauth2/authorize``, ``/logout``)."""
    if is_loopback(pool_endpoint):
        return origin_of(browser_url(pool_endpoint))
    return f"https://{domain_prefix}.auth.{region}.amazoncognito.com"
