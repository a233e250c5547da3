"""Fetching from the network, only ever through an object the caller passes in.

staffvc never opens a connection on its own: components that may need the network
(did:web resolution, status lists, remote contexts) take a :class:`Fetcher`. The default
implementation, :class:`HttpsFetcher`, speaks HTTPS only, with a timeout, a response size
cap, no redirects, no compression and no proxy settings read from the environment. Plain
HTTP is allowed only for loopback hosts named explicitly, for tests.
"""

from __future__ import annotations

import ipaddress
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from staffvc.errors import LimitExceededError, NetworkError

__all__ = ["FetchError", "Fetcher", "HttpsFetcher"]


class FetchError(NetworkError):
    """A fetch failed; ``status`` is the HTTP status when the server answered."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@runtime_checkable
class Fetcher(Protocol):
    """Gets the bytes at a URL, or raises :class:`FetchError` / :class:`LimitExceededError`."""

    def fetch(self, url: str, *, accept: str, max_bytes: int) -> bytes: ...


_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        fp.close()
        raise FetchError(f"refused to follow a redirect ({code}) from {req.full_url}", status=code)


class HttpsFetcher:
    """Fetch over HTTPS with limits. Thread-safe; holds no connection state.

    ``timeout`` bounds each network operation and the whole transfer; ``max_bytes`` is a
    ceiling on every response (a call may ask for less); ``allow_http_hosts`` names loopback
    hosts (``localhost``, ``127.0.0.1``) that may be fetched over plain HTTP, for tests;
    ``ssl_context`` replaces the system trust store (for a test CA or a private PKI);
    ``proxies`` maps a scheme to a proxy URL (environment variables are never read).
    """

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        max_bytes: int = 1 << 20,
        allow_http_hosts: Iterable[str] = (),
        ssl_context: ssl.SSLContext | None = None,
        proxies: Mapping[str, str] | None = None,
        user_agent: str = "staffvc",
    ) -> None:
        hosts = frozenset(h.lower() for h in allow_http_hosts)
        for host in hosts:
            if not _is_loopback(host):
                raise ValueError(f"plain HTTP may only be allowed for loopback hosts, not {host!r}")
        if timeout <= 0 or max_bytes <= 0:
            raise ValueError("timeout and max_bytes must be positive")
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._http_hosts = hosts
        self._user_agent = user_agent
        context = ssl_context or ssl.create_default_context()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(dict(proxies or {})),
            urllib.request.HTTPSHandler(context=context),
            _NoRedirect(),
        )

    def __repr__(self) -> str:
        return f"HttpsFetcher(timeout={self._timeout}, max_bytes={self._max_bytes})"

    def fetch(self, url: str, *, accept: str, max_bytes: int) -> bytes:
        limit = min(max_bytes, self._max_bytes)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme == "http":
            if host not in self._http_hosts:
                raise FetchError(f"refused plain-HTTP URL {url} (HTTPS only)")
        elif parts.scheme != "https":
            raise FetchError(f"refused URL scheme {parts.scheme!r} in {url} (HTTPS only)")
        if not host:
            raise FetchError(f"URL has no host: {url}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            headers={
                "Accept": accept,
                "Accept-Encoding": "identity",
                "User-Agent": self._user_agent,
            },
        )
        deadline = time.monotonic() + self._timeout
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                encoding = response.headers.get("Content-Encoding", "identity").lower()
                if encoding not in ("identity", ""):
                    raise FetchError(f"refused Content-Encoding {encoding!r} from {url}")
                declared = response.headers.get("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise LimitExceededError(
                        f"{url} declares {declared} bytes; the limit is {limit}"
                    )
                chunks: list[bytes] = []
                size = 0
                while True:
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out reading {url}")
                    chunk = response.read(min(65536, limit + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        raise LimitExceededError(f"{url} sent more than {limit} bytes")
                return b"".join(chunks)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise FetchError(f"{url} answered HTTP {exc.code}", status=exc.code) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"could not fetch {url}: {reason}") from None
