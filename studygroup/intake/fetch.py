"""Fetch an article's web page, refusing private addresses on every hop (SSRF-safe).

The only module of the intake that touches the network. Each hop resolves the host once,
checks every address it resolves to, and connects to that checked address (so a DNS answer
cannot change between the check and the connection); redirects are followed by hand.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

__all__ = ["FetchError", "Page", "fetch_page"]

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_SECONDS = 5.0
READ_SECONDS = 10.0
TOTAL_SECONDS = 20.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEADERS = {
    "User-Agent": "Studygroup (reading group article import)",
    "Accept": "text/html,application/xhtml+xml;q=0.9",
}


class FetchError(ValueError):
    """A page we will not or cannot fetch, with a message for the facilitator."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content: bytes


def _address(host: str, port: int, allow_private: bool) -> str:
    """The host's first address, after checking that none of them is private."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"“{host}” could not be found.") from error
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        ip = mapped or ip
        if not allow_private and (not ip.is_global or ip.is_multicast):
            raise FetchError(
                f"“{host}” is a private or local address ({ip}); only public web pages "
                "can be imported.",
                status=400,
            )
    return addresses[0]


def _target(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of an http(s) address, or FetchError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("Give a web address starting with http:// or https://.", status=400)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("That web address has an invalid port.", status=400) from error
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def _open(
    url: str, allow_private: bool
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """A pool pinned to the checked address, and the response of one GET through it."""
    scheme, host, port, path = _target(url)
    address = _address(host, port, allow_private)
    timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, server_hostname=host, assert_hostname=host
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout)
    headers = {**_HEADERS, "Host": host if port in (80, 443) else f"{host}:{port}"}
    try:
        response = pool.urlopen(
            "GET", path, headers=headers, redirect=False, retries=False, preload_content=False
        )
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise FetchError(f"“{host}” did not answer ({type(error).__name__}).", 502) from error
    return pool, response


def _read(response: urllib3.BaseHTTPResponse, started: float) -> bytes:
    """The body, streamed, refused past MAX_PAGE_BYTES or TOTAL_SECONDS."""
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > MAX_PAGE_BYTES:
                raise FetchError("That page is larger than 5 MB.", status=413)
            if time.monotonic() - started > TOTAL_SECONDS:
                raise FetchError("That page took too long to load.", status=504)
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise FetchError("The page stopped loading half-way; try again.", 502) from error
    return b"".join(chunks)


def fetch_page(url: str, *, allow_private: bool = False) -> Page:
    """GET an HTML page over http(s), following at most MAX_REDIRECTS redirects."""
    started = time.monotonic()
    for _ in range(MAX_REDIRECTS + 1):
        pool, response = _open(url, allow_private)
        try:
            location = response.headers.get("Location")
            if response.status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise FetchError(f"The page answered with an error ({response.status}).", 422)
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind not in _HTML_TYPES:
                raise FetchError(f"That address is not a web page (it is {kind or 'unknown'}).")
            return Page(url, _read(response, started))
        finally:  # one connection per hop, closed whatever happened to it
            response.close()
            pool.close()
    raise FetchError(f"That address redirects more than {MAX_REDIRECTS} times.")
