"""JSON-LD 1.1 API §9.4 (document loading), with staffvc's rule: offline unless allowed.

pyld's process-global loader fetches over the network when ``requests`` is importable;
these tests prove staffvc never calls it, never opens a socket, and refuses what it does
not serve with a coded error.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from pyld import jsonld

from staffvc.errors import LimitExceededError
from staffvc.fetch import FetchError
from staffvc.jsonld import (
    BundledLoader,
    CachingLoader,
    DocumentLoaderError,
    canonicalize_rdfc,
    expand,
)

V2 = "https://www.w3.org/ns/credentials/v2"
NHS = "https://contexts.example.nhs.uk/staff/v1"
NHS_CONTEXT = {"@context": {"bandGrade": "https://contexts.example.nhs.uk/staff#bandGrade"}}


class FakeFetcher:
    """A Fetcher that serves fixed bodies and records what it was asked."""

    def __init__(self, bodies: dict[str, bytes]) -> None:
        self.bodies = bodies
        self.calls: list[tuple[str, str, int]] = []

    def fetch(self, url: str, *, accept: str, max_bytes: int) -> bytes:
        self.calls.append((url, accept, max_bytes))
        if url not in self.bodies:
            raise FetchError(f"{url} answered HTTP 404", status=404)
        body = self.bodies[url]
        if len(body) > max_bytes:
            raise LimitExceededError(f"{url} sent more than {max_bytes} bytes")
        return body


def test_an_unknown_url_is_a_coded_error(loader: BundledLoader) -> None:
    with pytest.raises(DocumentLoaderError) as info:
        loader.load("https://contexts.example.com/unknown/v1")
    assert info.value.code == "LOADING_DOCUMENT_FAILED"


def test_an_unknown_context_in_a_document_is_a_coded_error(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    document = credential | {"@context": [V2, "https://contexts.example.com/unknown/v1"]}
    with pytest.raises(DocumentLoaderError) as info:
        canonicalize_rdfc(document, loader=loader)
    assert info.value.code == "LOADING_DOCUMENT_FAILED"


def test_registered_contexts_are_served(credential: dict[str, Any]) -> None:
    loader = BundledLoader({NHS: NHS_CONTEXT})
    document = credential | {"@context": [V2, NHS], "bandGrade": "7"}
    assert NHS in loader.urls
    assert '<https://contexts.example.nhs.uk/staff#bandGrade> "7"' in canonicalize_rdfc(
        document, loader=loader
    )


def test_registration_cannot_replace_a_bundled_or_registered_context() -> None:
    loader = BundledLoader({NHS: NHS_CONTEXT})
    with pytest.raises(ValueError, match="bundled"):
        loader.register(V2, {"@context": {}})
    with pytest.raises(ValueError, match="already registered"):
        loader.register(NHS, {"@context": {"bandGrade": "https://evil.example/grade"}})
    loader.register(NHS, NHS_CONTEXT)  # the same document again is fine
    assert loader.load(NHS) == NHS_CONTEXT


def test_each_loader_has_its_own_context_cache(credential: dict[str, Any]) -> None:
    # pyld caches resolved contexts process-wide by URL; a context one loader served must
    # not leak into processing with another loader.
    other = {"@context": {"bandGrade": "https://other.example/grade"}}
    document = credential | {"@context": [V2, NHS], "bandGrade": "7"}
    first = canonicalize_rdfc(document, loader=BundledLoader({NHS: NHS_CONTEXT}))
    second = canonicalize_rdfc(document, loader=BundledLoader({NHS: other}))
    assert "https://contexts.example.nhs.uk/staff#bandGrade" in first
    assert "https://other.example/grade" in second
    with pytest.raises(DocumentLoaderError):
        canonicalize_rdfc(document, loader=BundledLoader())


def test_a_loader_that_fails_unexpectedly_gives_a_coded_error(
    credential: dict[str, Any],
) -> None:
    class Broken:
        def load(self, url: str) -> dict[str, Any]:
            raise KeyError(url)

    with pytest.raises(DocumentLoaderError) as info:
        canonicalize_rdfc(credential, loader=Broken())
    assert info.value.code == "LOADING_DOCUMENT_FAILED"


def test_pyld_global_document_loader_is_never_used(
    credential: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def forbidden(url: str, options: object = None) -> dict[str, Any]:
        calls.append(url)
        raise AssertionError(f"pyld's global document loader was asked for {url}")

    monkeypatch.setattr(jsonld, "_default_document_loader", forbidden)
    jsonld.set_document_loader(forbidden)
    loader = BundledLoader()  # a fresh loader: its context cache is empty
    assert canonicalize_rdfc(credential, loader=loader).count("\n") > 5
    assert expand(credential, loader=loader)
    assert calls == []


def test_canonicalization_needs_no_network(
    credential: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    canonical = canonicalize_rdfc(credential, loader=BundledLoader())
    assert "<https://www.w3.org/2018/credentials#issuer>" in canonical
    with pytest.raises(AssertionError, match="socket"):  # the guard itself works
        socket.create_connection(("example.com", 443))


def test_caching_loader_fetches_allowed_urls_once(credential: dict[str, Any]) -> None:
    fetcher = FakeFetcher({NHS: b'{"@context": {"bandGrade": "https://ex.test/grade"}}'})
    loader = CachingLoader(fetcher, allow=[NHS])
    document = credential | {"@context": [V2, NHS], "bandGrade": "7"}
    first = canonicalize_rdfc(document, loader=loader)
    assert canonicalize_rdfc(document, loader=loader) == first
    assert loader.load(NHS) == {"@context": {"bandGrade": "https://ex.test/grade"}}
    assert [url for url, _, _ in fetcher.calls] == [NHS]
    assert "application/ld+json" in fetcher.calls[0][1]
    assert '<https://ex.test/grade> "7"' in first


def test_caching_loader_serves_bundled_contexts_without_fetching(
    credential: dict[str, Any],
) -> None:
    fetcher = FakeFetcher({})
    canonicalize_rdfc(credential, loader=CachingLoader(fetcher, allow=[NHS]))
    assert fetcher.calls == []


def test_caching_loader_refuses_urls_not_allowed() -> None:
    fetcher = FakeFetcher({"https://elsewhere.example/ctx": b'{"@context": {}}'})
    with pytest.raises(DocumentLoaderError):
        CachingLoader(fetcher, allow=[NHS]).load("https://elsewhere.example/ctx")
    assert fetcher.calls == []


def test_caching_loader_cannot_allow_a_bundled_url() -> None:
    with pytest.raises(ValueError, match="bundled"):
        CachingLoader(FakeFetcher({}), allow=[V2])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (None, "404"),
        (b"x" * 300_000, "bytes"),
        (b"[1, 2]", "JSON object"),
        (b'{"@context": {}, "@context": {}}', "twice"),
        (b"{not json", "not valid JSON"),
    ],
    ids=["http-error", "too-large", "not-an-object", "duplicate-member", "not-json"],
)
def test_caching_loader_failures_are_coded_and_not_cached(
    body: bytes | None, fragment: str
) -> None:
    fetcher = FakeFetcher({} if body is None else {NHS: body})
    loader = CachingLoader(fetcher, allow=[NHS])
    for _ in range(2):
        with pytest.raises(DocumentLoaderError, match=fragment) as info:
            loader.load(NHS)
        assert info.value.code == "LOADING_DOCUMENT_FAILED"
    assert len(fetcher.calls) == 2
    assert fetcher.calls[0][2] == 256 * 1024
