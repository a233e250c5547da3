"""did:web (W3C CCG did:web method): DID documents served over HTTPS.

``did:web:example.nhs.uk`` → ``https://example.nhs.uk/.well-known/did.json``;
``did:web:example.nhs.uk:trusts:rx1`` → ``https://example.nhs.uk/trusts/rx1/did.json``;
a port is written ``%3A`` (``did:web:localhost%3A8443``). IP addresses are not allowed.
Fetching goes through the injected :class:`~staffvc.fetch.Fetcher`; the document must be
within size and depth limits and its ``id`` must be the DID that was resolved.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

from staffvc.did.document import DidDocument
from staffvc.did.syntax import parse_did
from staffvc.errors import (
    DidDocumentIdMismatchError,
    DidNotFoundError,
    DidResolutionInternalError,
    InvalidDidDocumentError,
    InvalidDidError,
    LimitExceededError,
    MethodNotSupportedError,
    StaffVCError,
)
from staffvc.fetch import Fetcher, FetchError
from staffvc.safejson import JsonLimits, loads

__all__ = ["DidWebMethod", "did_web_url"]

_HOST = re.compile(
    r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*"
)
_SEGMENT = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=@-]+")
DEFAULT_DID_WEB_LIMITS = JsonLimits(max_bytes=256 * 1024, max_depth=32)


def did_web_url(did: str) -> str:
    """The HTTPS URL of the DID document of a did:web DID."""
    parsed = parse_did(did)
    if parsed.method != "web":
        raise MethodNotSupportedError(f"{parsed.method!r} is not the did:web method")
    host_part, *path = parsed.method_specific_id.split(":")
    host_port = unquote(host_part)
    host, _, port = host_port.partition(":")
    if not _HOST.fullmatch(host):
        raise InvalidDidError(f"did:web host {host!r} is not a domain name")
    if _is_ip(host):
        raise InvalidDidError("did:web must not use an IP address as host")
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        raise InvalidDidError(f"did:web port {port!r} is not a valid port")
    segments = [unquote(s) for s in path]
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise InvalidDidError(f"did:web path segment {segment!r} is not allowed")
    authority = f"{host.lower()}:{port}" if port else host.lower()
    if segments:
        return f"https://{authority}/{'/'.join(segments)}/did.json"
    return f"https://{authority}/.well-known/did.json"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class DidWebMethod:
    """Resolves did:web DIDs through ``fetcher``.

    ``scheme`` is ``https`` except in tests against a local plain-HTTP server (the fetcher
    must then also allow that loopback host).
    """

    method = "web"

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        limits: JsonLimits = DEFAULT_DID_WEB_LIMITS,
        scheme: str = "https",
    ) -> None:
        if scheme not in ("https", "http"):
            raise ValueError("scheme must be 'https' (or 'http' for loopback tests)")
        self._fetcher = fetcher
        self._limits = limits
        self._scheme = scheme

    def __repr__(self) -> str:
        return f"DidWebMethod({self._fetcher!r})"

    def resolve(self, did: str) -> DidDocument:
        url = did_web_url(did)
        if self._scheme == "http":
            url = "http://" + url.removeprefix("https://")
        try:
            body = self._fetcher.fetch(
                url,
                accept="application/did+json, application/did+ld+json, application/json",
                max_bytes=self._limits.max_bytes,
            )
        except FetchError as exc:
            if exc.status in (404, 410):
                raise DidNotFoundError(f"{did}: {exc.message}") from exc
            raise DidResolutionInternalError(f"{did}: {exc.message}") from exc
        except LimitExceededError:
            raise
        except StaffVCError as exc:
            raise DidResolutionInternalError(f"{did}: {exc.message}") from exc
        try:
            data = loads(body, limits=self._limits, what="DID document")
        except LimitExceededError:
            raise
        except StaffVCError as exc:
            raise InvalidDidDocumentError(f"{did}: {exc.message}") from exc
        if not isinstance(data, dict):
            raise InvalidDidDocumentError(f"{did}: the DID document is not a JSON object")
        document = DidDocument(data)
        if document.id != did:
            raise DidDocumentIdMismatchError(f"the document fetched for {did} has id {document.id}")
        return document
